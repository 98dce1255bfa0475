namespace UpsAgent.TestKit.Peers;

/// <summary>
/// A process and its descendants as /proc shows them now. Each member remembers its start time so a
/// recycled pid is never mistaken for it later.
/// </summary>
internal static class ProcessTree
{
    internal readonly record struct Member(int Pid, long StartTicks)
    {
        public bool IsAlive => Stat(Pid) is { State: not 'Z' } stat && stat.StartTicks == StartTicks;
    }

    public static IReadOnlyList<Member> Of(int root)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var pid) && Stat(pid) is { } stat)
            {
                if (!parents.TryGetValue(stat.Ppid, out var children))
                {
                    parents[stat.Ppid] = children = [];
                }
                children.Add(pid);
            }
        }

        var members = new List<Member>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            if (Stat(pid) is { } stat)
            {
                members.Add(new Member(pid, stat.StartTicks));
            }
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                queue.Enqueue(child);
            }
        }
        return members;
    }

    /// <summary>Fields of /proc/PID/stat (proc(5)): state (3), ppid (4), starttime (22).</summary>
    private static (char State, int Ppid, long StartTicks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
