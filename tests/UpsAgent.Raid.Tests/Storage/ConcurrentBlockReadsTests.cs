using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Storage;

[TestClass]
public sealed class ConcurrentBlockReadsTests
{
    [TestMethod]
    [DataRow(4096)]
    [DataRow(256 * 1024)]
    public void Every_read_lands_at_its_buffer_offset_and_a_failing_member_only_marks_its_own_slot(int length)
    {
        var random = new Random(length);
        var devices = new IBlockDevice[5];
        for (int i = 0; i < devices.Length; i++)
        {
            var memory = new MemoryBlockDevice($"m{i}", 2L << 20);
            random.NextBytes(memory.Media);
            devices[i] = i == 2 ? new FaultyBlockDevice(memory) { FailReads = true } : memory;
        }

        byte[] buffer = new byte[devices.Length * length];
        var reads = new BlockRead[devices.Length];
        var errors = new IOException?[devices.Length];
        for (int i = 0; i < devices.Length; i++)
        {
            reads[i] = new BlockRead(devices[i], 4096L * (i + 1), buffer, i * length, length);
        }

        ConcurrentBlockReads.Run(reads, devices.Length, errors);

        for (int i = 0; i < devices.Length; i++)
        {
            if (i == 2)
            {
                Assert.IsNotNull(errors[i], "the failing member's error is reported at its index");
                continue;
            }

            Assert.IsNull(errors[i], $"member {i}");
            byte[] media = ((MemoryBlockDevice)devices[i]).Media;
            AssertBytes.Equal(media.AsSpan(4096 * (i + 1), length), buffer.AsSpan(i * length, length), $"member {i}");
        }
    }

    [TestMethod]
    public void A_count_beyond_the_arrays_is_refused()
    {
        var reads = new BlockRead[2];
        var errors = new IOException?[1];
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConcurrentBlockReads.Run(reads, 2, errors));
    }
}
