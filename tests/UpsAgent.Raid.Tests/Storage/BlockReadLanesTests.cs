using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Storage;

[TestClass]
public sealed class BlockReadLanesTests
{
    [TestMethod]
    public void Every_lane_reads_its_runs_and_a_failure_stops_only_its_own_lane()
    {
        var random = new Random(1);
        var devices = new IBlockDevice[4];
        for (int i = 0; i < devices.Length; i++)
        {
            var memory = new MemoryBlockDevice($"m{i}", 1L << 20);
            random.NextBytes(memory.Media);
            devices[i] = i == 1 ? new FaultyBlockDevice(memory) { FailReads = true } : memory;
        }

        // Lane i reads three 64 KiB runs of device i into its quarter of the buffer.
        const int run = 64 * 1024;
        byte[] buffer = new byte[devices.Length * 3 * run];
        var reads = new BlockRead[devices.Length * 3];
        int[] starts = new int[devices.Length + 1];
        for (int i = 0; i < devices.Length; i++)
        {
            starts[i] = i * 3;
            for (int r = 0; r < 3; r++)
            {
                reads[(i * 3) + r] = new BlockRead(devices[i], (r * 2L + 1) * run, buffer, ((i * 3) + r) * run, run);
            }
        }

        starts[devices.Length] = reads.Length;
        var errors = new IOException?[reads.Length];
        using var lanes = new BlockReadLanes(devices.Length);
        for (int round = 0; round < 3; round++)
        {
            Array.Clear(buffer);
            lanes.Run(reads, starts, devices.Length, errors);
            Assert.IsNotNull(errors[3], "the failing lane's first read reports its error");
            Assert.IsNull(errors[4], "the rest of a failed lane is skipped, not reported");
            for (int i = 0; i < reads.Length; i++)
            {
                if (i / 3 == 1)
                {
                    continue;
                }

                Assert.IsNull(errors[i], $"read {i}");
                BlockRead read = reads[i];
                AssertBytes.Equal(((MemoryBlockDevice)devices[i / 3]).Media.AsSpan((int)read.Offset, run), buffer.AsSpan(read.BufferOffset, run), $"read {i} round {round}");
            }
        }
    }

    [TestMethod]
    public void More_lanes_than_it_was_made_for_are_refused()
    {
        using var lanes = new BlockReadLanes(2);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => lanes.Run([], new int[4], 3, []));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new BlockReadLanes(0));
    }
}
