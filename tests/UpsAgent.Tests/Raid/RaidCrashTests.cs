using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;
using UpsAgent.Tests.Cli;

namespace UpsAgent.Tests.Raid;

// Issue 5's crash acceptance with real processes: 'upsagent raid write --sync' streams data onto the
// array, acknowledging each flushed block, and is killed (SIGKILL) at a random point. The next run
// starts on the dirty array (and resyncs it); at the end the array is reassembled, resynced, a check
// finds zero mismatches, every acknowledged byte is there and every unacknowledged one is old or new.
[TestClass]
public sealed class RaidCrashTests
{
    private const long MemberBytes = 4L << 20;
    private const int Kills = 3;

    [TestMethod]
    [DataRow(1, 2, true)]
    [DataRow(1, 2, false)]
    [DataRow(5, 3, true)]
    [DataRow(5, 3, false)]
    [DataRow(6, 4, true)]
    [DataRow(6, 4, false)]
    public async Task Killing_the_writer_loses_no_acknowledged_write_and_resync_leaves_no_mismatch(int level, int disks, bool bitmap)
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-raid-crash").FullName;
        try
        {
            string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(dir, $"d{i}.img"))];
            long length;
            using (RaidArray array = ArrayCreator.Create(
                [.. paths.Select(p => (IBlockDevice)ImageFileDevice.Create(p, MemberBytes))],
                new ArrayCreateOptions((RaidLevel)level) { ChunkKib = 16, AssumeClean = true, Bitmap = bitmap, BitmapChunkBytes = bitmap ? 64 * 1024 : null },
                TimeProvider.System,
                CancellationToken.None))
            {
                length = array.LengthBytes;
            }

            // Each byte may hold one of two values: equal after an acknowledged write, old or new where
            // a write was in flight when the writer died. Each run writes its own slot of the array.
            byte[] first = new byte[length];
            byte[] second = new byte[length];
            var random = new Random((level * 10) + (bitmap ? 1 : 0));
            long slot = length / Kills;
            for (int run = 0; run < Kills; run++)
            {
                long offset = (run * slot) + random.Next(0, 4096);
                byte[] data = new byte[slot - 8192];
                random.NextBytes(data);
                long acked = await WriteAndKillAsync(paths, offset, data, random);
                data.AsSpan(0, (int)acked).CopyTo(first.AsSpan((int)offset));
                data.AsSpan(0, (int)acked).CopyTo(second.AsSpan((int)offset));
                data.AsSpan((int)acked).CopyTo(second.AsSpan((int)(offset + acked)));
            }

            AssembleResult result = ArrayAssembler.Assemble([.. paths.Select(p => (IBlockDevice)ImageFileDevice.Open(p, writable: true))], TimeProvider.System);
            using RaidArray recovered = result.Array ?? throw new AssertFailedException(string.Join("; ", result.Errors));
            Assert.IsTrue(recovered.NeedsResync, "the writer died with the array dirty");
            long resynced = recovered.Resync(CancellationToken.None);
            long whole = level == 10 ? recovered.Geometry.ArraySectors : recovered.Geometry.MemberSectors;
            if (bitmap)
            {
                Assert.IsLessThan(whole, resynced, "with a bitmap only the dirty chunks are resynced");
            }
            else
            {
                Assert.AreEqual(whole, resynced, "without a bitmap everything is");
            }

            Assert.AreEqual(0L, recovered.Scrub(repair: false, CancellationToken.None).MismatchSectors);
            byte[] after = new byte[length];
            recovered.Read(0, after);
            for (long i = 0; i < length; i++)
            {
                if (after[i] != first[i] && after[i] != second[i])
                {
                    Assert.Fail($"byte {i}: {after[i]:x2}, expected {first[i]:x2}{(first[i] == second[i] ? " (acknowledged)" : $" or {second[i]:x2}")}");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Streams data into 'raid write --sync' and kills it after a random number of acknowledgements,
    // right after sending more. Returns the bytes acknowledged as synced.
    private static async Task<long> WriteAndKillAsync(string[] paths, long offset, byte[] data, Random random)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])[AgentProcess.DllPath, "raid", "write", "--sync", "--offset", offset.ToString(CultureInfo.InvariantCulture), .. paths])
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        var lines = Channel.CreateUnbounded<string>();
        Task reader = Task.Run(async () =>
        {
            while (await p.StandardOutput.ReadLineAsync() is { } line)
            {
                await lines.Writer.WriteAsync(line);
            }

            lines.Writer.Complete();
        });

        long acked = 0;
        int killAfter = random.Next(1, 6);
        int sent = 0;
        int acks = 0;
        Stream stdin = p.StandardInput.BaseStream;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (sent < data.Length)
            {
                int n = Math.Min(data.Length - sent, random.Next(4096, 96 * 1024));
                await stdin.WriteAsync(data.AsMemory(sent, n), deadline.Token);
                await stdin.FlushAsync(deadline.Token);
                sent += n;
                if (acks >= killAfter)
                {
                    break;
                }

                // Wait for this block's acknowledgement (resync lines come first on a dirty array).
                while (true)
                {
                    string line = await lines.Reader.ReadAsync(deadline.Token);
                    if (line.StartsWith("synced ", StringComparison.Ordinal))
                    {
                        acked = long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                        acks++;
                        break;
                    }
                }
            }
        }
        catch (IOException)
        {
            // The writer went away on its own: its stderr says why (checked below).
        }

        if (!p.HasExited)
        {
            // A moment into the last block, so the kill lands during its writes as often as not.
            Thread.SpinWait(random.Next(0, 2_000_000));
            p.Kill();
        }

        await p.WaitForExitAsync(deadline.Token);
        await reader;
        await foreach (string line in lines.Reader.ReadAllAsync(deadline.Token))
        {
            if (line.StartsWith("synced ", StringComparison.Ordinal))
            {
                acked = long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            }
        }

        Assert.IsGreaterThan(0L, acked, $"no block was acknowledged: {await stderr}");
        Assert.IsLessThanOrEqualTo((long)sent, acked);
        return acked;
    }
}
