using System.Globalization;
using UpsAgent.Console.Repl;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Hosting;

/// <summary>
/// The REPL's "raid" group for the agent's configured arrays, in mdadm's words: fail, add and remove
/// members, and start, pause or resume rebuild and scrub passes (which run in the background).
/// </summary>
public static class RaidReplCommands
{
    public static void Register(CommandShell shell, RaidService raid)
    {
        shell.Add(new ReplCommand("raid list", "raid list", "configured arrays: state, members in sync, events, progress", i =>
        {
            if (i.Arguments.Count != 0)
            {
                return Task.FromResult(i.Usage());
            }

            if (raid.Arrays.Count == 0)
            {
                i.Output.WriteLine("no [array NAME] sections configured");
            }

            foreach (ManagedArray a in raid.Arrays)
            {
                RaidStatusReporter.WriteSummary(a, i.Output);
            }

            return Task.FromResult(0);
        }));
        shell.Add(new ReplCommand("raid detail", "raid detail NAME", "one array: geometry, members, bitmap, pass in progress", i =>
            WithArray(i, raid, 1, a =>
            {
                RaidStatusReporter.WriteDetail(a, i.Output);
                return 0;
            }, needsRunning: false)));
        shell.Add(new ReplCommand("raid fail", "raid fail NAME MEMBER", "mark a member faulty (path or role); a spare takes over", i =>
            WithArray(i, raid, 2, a =>
            {
                RaidMember member = FindMember(a.Array!, i.Arguments[1]) ?? throw new ArgumentException($"{i.Arguments[1]} is not a member of {a.Name}");
                if (member.State == MemberState.Faulty)
                {
                    i.Output.WriteLine($"{member.Device.Name} is already faulty");
                    return 0;
                }

                a.Array!.Fail(member, "failed by command");
                i.Output.WriteLine($"{member.Device.Name}: marked faulty");
                a.StartPendingWork(raid.Logger);
                return 0;
            })));
        shell.Add(new ReplCommand("raid remove", "raid remove NAME MEMBER", "drop a faulty or spare member (path or role)", i =>
            WithArray(i, raid, 2, a =>
            {
                RaidMember member = FindMember(a.Array!, i.Arguments[1]) ?? throw new ArgumentException($"{i.Arguments[1]} is not a member of {a.Name}");
                if (member.State is not (MemberState.Faulty or MemberState.Spare))
                {
                    return i.Fail($"{member.Device.Name} is active (role {member.Slot}); 'raid fail {a.Name} {member.Device.Name}' first");
                }

                a.Array!.Remove(member);
                member.Device.Dispose();
                i.Output.WriteLine($"{member.Device.Name}: removed");
                return 0;
            })));
        shell.Add(new ReplCommand("raid add", "raid add NAME PATH", "add an image or device: into an empty slot (rebuild starts) or as a spare", i =>
            WithArray(i, raid, 2, a =>
            {
                string path = i.Arguments[1];
                if (a.Array!.Members.Any(m => m.Device.Name == path))
                {
                    return i.Fail($"{path} is already in {a.Name}");
                }

                if (!File.Exists(path) && !path.StartsWith("/dev/", StringComparison.Ordinal))
                {
                    return i.Fail($"{path}: no such file (create the image first, e.g. with truncate -s)");
                }

                ImageFileDevice device = ImageFileDevice.Open(path, writable: true);
                RaidMember member;
                try
                {
                    member = a.Array.Add(device);
                }
                catch
                {
                    device.Dispose();
                    throw;
                }

                i.Output.WriteLine(member.State == MemberState.Spare ? $"{path}: added as a hot spare" : $"{path}: added as role {member.Slot}; recovery started");
                a.StartPendingWork(raid.Logger);
                return 0;
            })));
        shell.Add(new ReplCommand("raid rebuild", "raid rebuild NAME", "start (or continue) recovery onto replacement members", i =>
            WithArray(i, raid, 1, a =>
            {
                if (!a.Array!.Members.Any(m => m.State == MemberState.Recovering))
                {
                    return i.Fail(a.Array.DegradedCount > 0 ? "nothing to rebuild onto: 'raid add NAME PATH' a replacement" : "every member is in sync");
                }

                return Started(i, a, a.StartPass("recovery", (arr, ct) => $"recovery: {arr.Rebuild(null, ct)} member(s) rebuilt", raid.Logger));
            })));
        shell.Add(new ReplCommand("raid check", "raid check NAME [repair]", "scrub in the background: count mismatches (md's check), or rewrite them", i =>
        {
            if (i.Arguments.Count == 2 && i.Arguments[1] != "repair")
            {
                return Task.FromResult(i.Usage());
            }

            bool repair = i.Arguments.Count == 2;
            return WithArray(i, raid, i.Arguments.Count == 2 ? 2 : 1, a =>
            {
                if (a.Array!.Geometry.Level == Raid.Geometry.RaidLevel.Raid0)
                {
                    return i.Fail("RAID0 has no redundancy to check");
                }

                string action = repair ? "repair" : "check";
                return Started(i, a, a.StartPass(action, (arr, ct) =>
                    string.Create(CultureInfo.InvariantCulture, $"{action}: mismatch_cnt={arr.Scrub(repair, ct).MismatchSectors}"), raid.Logger));
            });
        }));
        shell.Add(new ReplCommand("raid pause", "raid pause NAME", "hold rebuild/resync/check at the next stripe (md's frozen)", i =>
            WithArray(i, raid, 1, a =>
            {
                a.Array!.Throttle.Pause();
                i.Output.WriteLine($"{a.Name}: paused{(a.PassRunning ? string.Empty : " (no pass running; the next one waits)")}");
                return 0;
            })));
        shell.Add(new ReplCommand("raid resume", "raid resume NAME", "let a paused pass go on", i =>
            WithArray(i, raid, 1, a =>
            {
                a.Array!.Throttle.Resume();
                i.Output.WriteLine($"{a.Name}: resumed");
                return 0;
            })));
    }

    private static int Started(ReplInvocation i, ManagedArray a, bool started)
    {
        if (!started)
        {
            return i.Fail($"{a.Name} is busy with another pass ({a.Array?.Activity?.Action ?? "finishing"}); see 'raid detail {a.Name}'");
        }

        i.Output.WriteLine($"{a.Name}: started; 'raid detail {a.Name}' shows progress and the result");
        return 0;
    }

    private static RaidMember? FindMember(RaidArray array, string what)
    {
        if (int.TryParse(what, NumberStyles.None, CultureInfo.InvariantCulture, out int role))
        {
            return array.MemberInSlot(role) ?? array.Members.FirstOrDefault(m => m.Device.Name == what);
        }

        return array.Members.FirstOrDefault(m => m.Device.Name == what);
    }

    private static Task<int> WithArray(ReplInvocation i, RaidService raid, int arguments, Func<ManagedArray, int> action, bool needsRunning = true)
    {
        if (i.Arguments.Count != arguments)
        {
            return Task.FromResult(i.Usage());
        }

        ManagedArray? a = raid.Find(i.Arguments[0]);
        if (a is null)
        {
            return Task.FromResult(i.Fail($"no array named '{i.Arguments[0]}' (configured: {(raid.Arrays.Count == 0 ? "none" : string.Join(", ", raid.Arrays.Select(x => x.Name)))})"));
        }

        if (needsRunning && a.Array is null)
        {
            return Task.FromResult(i.Fail($"{a.Name} is not assembled: {a.Error}"));
        }

        try
        {
            return Task.FromResult(action(a));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or ArrayFailedException)
        {
            return Task.FromResult(i.Fail(e.Message));
        }
    }
}
