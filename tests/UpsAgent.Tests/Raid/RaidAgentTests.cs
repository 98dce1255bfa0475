using UpsAgent.Configuration;
using UpsAgent.Hosting;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Tests.Raid;

// The running agent's arrays: [array NAME] assembled at start, refused with a reason when the members
// or the configuration disagree, shown in status, driven by the 'raid' REPL group, and quiesced by the
// shutdown hook.
[TestClass]
public sealed class RaidAgentTests
{
    private const long MemberBytes = 4L << 20;

    private static string[] CreateArray(string dir, string prefix, int level, int disks, bool bitmap = false)
    {
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir, $"{prefix}{i}.img"))];
        using RaidArray array = ArrayCreator.Create(
            [.. paths.Select(p => (IBlockDevice)ImageFileDevice.Create(p, MemberBytes))],
            new ArrayCreateOptions((RaidLevel)level) { ChunkKib = 16, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = bitmap ? 64 * 1024 : null },
            TimeProvider.System,
            CancellationToken.None);
        byte[] data = new byte[100_000];
        new Random(level).NextBytes(data);
        array.Write(0, data);
        return paths;
    }

    private static async Task<(AgentHost Host, string Dir)> StartAgentAsync(string dir, string arrays)
    {
        AgentConfig config = AgentConfigLoader.Load($"[agent]\ncontrol-socket = none\n[nut]\nlisten = none\n[ups ups]\n{arrays}", "raid.conf");
        var host = new AgentHost(config, AgentHostMode.Agent, log: TextWriter.Null);
        await host.StartAsync(CancellationToken.None);
        return (host, dir);
    }

    private static async Task<string> RunAsync(AgentHost host, string line, int expected = 0)
    {
        var output = new StringWriter();
        int code = await host.Shell.ExecuteAsync(line, output, CancellationToken.None);
        Assert.AreEqual(expected, code, $"{line}: {output}");
        return output.ToString();
    }

    private static async Task WaitForPassAsync(ManagedArray a)
    {
        for (int i = 0; i < 600 && a.PassRunning; i++)
        {
            await Task.Delay(50);
        }

        Assert.IsFalse(a.PassRunning, $"{a.Name}: the pass did not finish");
    }

    private static MdSuperblock Superblock(string path)
    {
        using ImageFileDevice d = ImageFileDevice.Open(path, writable: false);
        return ArrayAssembler.ReadSuperblock(d, out string problem) ?? throw new AssertFailedException(problem);
    }

    [TestMethod]
    public async Task Configured_arrays_are_assembled_at_start_and_shown_in_status_and_raid_list()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid").FullName;
        string[] five = CreateArray(dir, "r5-", 5, 3);
        string[] one = CreateArray(dir, "r1-", 1, 2);
        (AgentHost host, _) = await StartAgentAsync(dir, $"[array data]\nmembers = {string.Join(' ', five)}\nlevel = 5\n[array boot]\nmembers = {one[0]} missing\n");
        await using (host)
        {
            string status = await RunAsync(host, "status");
            StringAssert.Contains(status, "raid:");
            StringAssert.Contains(status, "data: raid5 clean, 3/3 in sync");
            StringAssert.Contains(status, "boot: raid1 clean, degraded, 1/2 in sync");
            string list = await RunAsync(host, "raid list");
            StringAssert.Contains(list, "data: raid5");
            string detail = await RunAsync(host, "raid detail data");
            StringAssert.Contains(detail, $"Array UUID : {Superblock(five[0]).SetUuid}");
            StringAssert.Contains(detail, "Consistency : resync");
            StringAssert.Contains(detail, five[2]);
            StringAssert.Contains(await RunAsync(host, "raid detail nosuch", 1), "no array named 'nosuch' (configured: data, boot)");
        }

        Assert.IsTrue(Superblock(five[0]).IsClean, "stopping the agent leaves the array clean");
        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public async Task Mismatched_members_or_configuration_refuse_the_array_with_the_reason()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid").FullName;
        string[] a = CreateArray(dir, "a", 5, 3);
        string[] b = CreateArray(dir, "b", 5, 3);
        string[] c = CreateArray(dir, "c", 1, 2);
        (AgentHost host, _) = await StartAgentAsync(dir, string.Join('\n',
            $"[array mixed]\nmembers = {a[0]} {a[1]} {b[2]}",
            $"[array wronglevel]\nmembers = {c[0]} {c[1]}\nlevel = 5",
            $"[array wronguuid]\nmembers = {b[0]} {b[1]} {b[2]}\nuuid = 00000000:00000000:00000000:00000001",
            $"[array good]\nmembers = {Path.Combine(dir, "gone.img")} {a[1]} {a[2]}",
            string.Empty));
        await using (host)
        {
            string status = await RunAsync(host, "status");
            StringAssert.Contains(status, $"mixed: not assembled: {b[2]}: belongs to array {Superblock(b[2]).SetUuid}");
            StringAssert.Contains(status, "wronglevel: not assembled: the members hold a RAID1 array, the configuration says RAID5");
            StringAssert.Contains(status, $"wronguuid: not assembled: the members hold array {Superblock(b[0]).SetUuid}, the configuration says 00000000:00000000:00000000:00000001");
            StringAssert.Contains(status, "good: raid5 clean, degraded, 2/3 in sync", "a vanished member file leaves the array degraded");
            StringAssert.Contains(await RunAsync(host, "raid detail good"), "no such file; assembling without it");
            StringAssert.Contains(await RunAsync(host, "raid check mixed", 1), "mixed is not assembled");
        }

        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public async Task A_stale_member_is_left_out_with_a_warning()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid").FullName;
        string[] paths = CreateArray(dir, "s", 5, 3);
        string stale = Path.Combine(dir, "stale.img");
        File.Copy(paths[2], stale);
        using (RaidArray array = AssembleFiles(paths))
        {
            array.Fail(array.MemberInSlot(0)!, "test");
            array.Remove(array.Members.Single(m => m.State == MemberState.Faulty));
            array.Write(0, new byte[10]);
        }

        File.Copy(stale, paths[2], overwrite: true);
        (AgentHost host, _) = await StartAgentAsync(dir, $"[array s]\nmembers = {string.Join(' ', paths)}\n");
        await using (host)
        {
            string detail = await RunAsync(host, "raid detail s");
            StringAssert.Contains(detail, "not assembled");
            StringAssert.Contains(detail, $"{paths[2]}: stale");
        }

        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public async Task Fail_add_rebuild_check_pause_and_resume_through_the_repl()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid").FullName;
        string[] paths = CreateArray(dir, "m", 6, 4);
        string replacement = Path.Combine(dir, "new.img");
        using (FileStream f = File.Create(replacement))
        {
            f.SetLength(MemberBytes);
        }

        (AgentHost host, _) = await StartAgentAsync(dir, $"[array six]\nmembers = {string.Join(' ', paths)}\nspeed-min = 500\nspeed-max = 900000\n");
        await using (host)
        {
            ManagedArray six = host.Raid.Find("six")!;
            StringAssert.Contains(await RunAsync(host, "raid detail six"), "min 500 KiB/s, max 900000 KiB/s");
            StringAssert.Contains(await RunAsync(host, $"raid fail six {paths[1]}"), "marked faulty");
            StringAssert.Contains(await RunAsync(host, "raid remove six 2", 1), "is active (role 2)");
            StringAssert.Contains(await RunAsync(host, $"raid remove six {paths[1]}"), "removed");
            StringAssert.Contains(await RunAsync(host, "raid rebuild six", 1), "nothing to rebuild onto");

            // Paused before the replacement arrives: the recovery it starts waits at its first stripe.
            await RunAsync(host, "raid pause six");
            StringAssert.Contains(await RunAsync(host, $"raid add six {replacement}"), "added as role 1; recovery started");
            for (int i = 0; i < 200 && !six.Array!.Throttle.Holding; i++)
            {
                await Task.Delay(20);
            }

            Assert.IsTrue(six.Array!.Throttle.Holding, "the recovery waits for resume");
            StringAssert.Contains(await RunAsync(host, "raid detail six"), "recovery 0.0%");
            StringAssert.Contains(await RunAsync(host, "raid detail six"), "paused");
            StringAssert.Contains(await RunAsync(host, "raid check six", 1), "busy with another pass (recovery)");
            await RunAsync(host, "raid resume six");
            await WaitForPassAsync(six);
            Assert.AreEqual(0, six.Array.DegradedCount);
            StringAssert.Contains(await RunAsync(host, "raid detail six"), "recovery: 1 member(s) rebuilt");

            await RunAsync(host, "raid check six");
            await WaitForPassAsync(six);
            StringAssert.Contains(await RunAsync(host, "raid detail six"), "check: mismatch_cnt=0");
            StringAssert.Contains(await RunAsync(host, "raid check six bogus", 2), "usage: raid check NAME [repair]");
        }

        Assert.AreEqual(MemberState.InSync, StateOf(replacement, paths));
        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public async Task An_unclean_array_is_resynced_at_start_and_the_shutdown_hook_leaves_it_clean()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid").FullName;
        string[] paths = CreateArray(dir, "u", 5, 3, bitmap: true);
        // A writer that died: the array is dirty and bits are set.
        RaidArray crashed = AssembleFiles(paths);
        crashed.Write(200_000, new byte[5000]);
        crashed.Flush();
        foreach (RaidMember m in crashed.Members)
        {
            m.Device.Dispose();
        }

        Assert.IsFalse(Superblock(paths[0]).IsClean);
        (AgentHost host, _) = await StartAgentAsync(dir, $"[array u]\nmembers = {string.Join(' ', paths)}\n");
        await using (host)
        {
            ManagedArray u = host.Raid.Find("u")!;
            await WaitForPassAsync(u);
            StringAssert.Contains(u.LastResult, "resync: 128 sectors made consistent", "one 64 KiB bitmap chunk");

            // Dirty it again, then run the hook the shutdown executor runs before powering off.
            u.Array!.Write(0, new byte[100]);
            Assert.IsFalse(Superblock(paths[1]).IsClean);
            await host.Raid.CreateShutdownHook().RunAsync(CancellationToken.None);
            Assert.IsTrue(Superblock(paths[1]).IsClean);
            Assert.AreEqual(0L, u.Array.Bitmap!.DirtyCount);
        }

        Directory.Delete(dir, recursive: true);
    }

    private static RaidArray AssembleFiles(string[] paths)
    {
        AssembleResult r = ArrayAssembler.Assemble([.. paths.Select(p => (IBlockDevice)ImageFileDevice.Open(p, writable: true))], TimeProvider.System);
        return r.Array ?? throw new AssertFailedException(string.Join("; ", r.Errors));
    }

    private static MemberState StateOf(string member, string[] paths)
    {
        using RaidArray array = AssembleFiles([paths[0], member, paths[2], paths[3]]);
        return array.Members.Single(m => m.Device.Name == member).State;
    }
}
