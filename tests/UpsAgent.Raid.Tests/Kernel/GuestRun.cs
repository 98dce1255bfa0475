namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>What one guest boot left behind: the console transcript and the script's result lines.</summary>
internal sealed record GuestRun(bool Exited, int ExitCode, string Console, string Results, string QemuOutput, TimeSpan Elapsed)
{
    /// <summary>The "key=value" fields of the result line that starts with <paramref name="tag"/>, or null.</summary>
    public IReadOnlyDictionary<string, string>? Line(string tag)
    {
        foreach (string raw in Results.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] != tag)
            {
                continue;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string word in words.Skip(1))
            {
                int eq = word.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    fields[word[..eq]] = word[(eq + 1)..];
                }
            }

            return fields;
        }

        return null;
    }

    /// <summary>The tail of everything the guest printed, for assertion messages.</summary>
    public string Transcript => $"qemu exited={Exited} code={ExitCode} after {Elapsed.TotalSeconds:F0}s\n--- results\n{Results}\n--- console (tail)\n{Tail(Console, 4000)}\n--- qemu\n{Tail(QemuOutput, 1000)}";

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
