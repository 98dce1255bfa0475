using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Storage;

[TestClass]
public sealed class ConcurrentBlockWritesTests
{
    [TestMethod]
    [DataRow(4096)]
    [DataRow(256 * 1024)]
    public void Every_write_lands_on_its_member_and_a_failing_member_only_marks_its_own_slot(int length)
    {
        var random = new Random(length + 1);
        var memories = new MemoryBlockDevice[4];
        var devices = new IBlockDevice[memories.Length];
        for (int i = 0; i < devices.Length; i++)
        {
            memories[i] = new MemoryBlockDevice($"m{i}", 2L << 20);
            devices[i] = i == 1 ? new FaultyBlockDevice(memories[i]) : memories[i];
        }

        ((FaultyBlockDevice)devices[1]).Vanish();
        byte[] buffer = new byte[devices.Length * length];
        random.NextBytes(buffer);
        var writes = new BlockWrite[devices.Length];
        var errors = new IOException?[devices.Length];
        for (int i = 0; i < devices.Length; i++)
        {
            writes[i] = new BlockWrite(devices[i], 8192L * i, buffer, i * length, length);
        }

        ConcurrentBlockWrites.Run(writes, devices.Length, errors);

        for (int i = 0; i < devices.Length; i++)
        {
            if (i == 1)
            {
                Assert.IsNotNull(errors[i], "the vanished member's error is reported at its index");
                Assert.AreEqual(-1, memories[i].Media.AsSpan().IndexOfAnyExcept((byte)0), "nothing reached the vanished member");
                continue;
            }

            Assert.IsNull(errors[i], $"member {i}");
            AssertBytes.Equal(buffer.AsSpan(i * length, length), memories[i].Media.AsSpan(8192 * i, length), $"member {i}");
        }
    }
}
