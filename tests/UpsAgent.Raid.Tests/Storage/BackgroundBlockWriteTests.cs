using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Storage;

[TestClass]
public sealed class BackgroundBlockWriteTests
{
    [TestMethod]
    public void A_batch_lands_in_the_background_and_wait_reports_success()
    {
        var device = new MemoryBlockDevice("m", 1L << 20);
        byte[] data = new byte[8192];
        new Random(2).NextBytes(data);
        using var write = new BackgroundBlockWrite();
        BlockWrite[] batch = [new(device, 4096, data, 0, 4096), new(device, 65536, data, 4096, 4096)];
        for (int round = 0; round < 3; round++)
        {
            write.Start(batch, 2);
            Assert.IsTrue(write.Pending);
            Assert.IsNull(write.Wait());
            Assert.IsFalse(write.Pending);
        }

        AssertBytes.Equal(data.AsSpan(0, 4096), device.Media.AsSpan(4096, 4096));
        AssertBytes.Equal(data.AsSpan(4096, 4096), device.Media.AsSpan(65536, 4096));
        Assert.IsNull(write.Wait(), "nothing in flight");
    }

    [TestMethod]
    public void A_failed_write_is_handed_to_the_waiter_and_a_second_batch_waits_its_turn()
    {
        var device = new FaultyBlockDevice(new MemoryBlockDevice("m", 1L << 20));
        device.Vanish();
        using var write = new BackgroundBlockWrite();
        BlockWrite[] batch = [new(device, 0, new byte[512], 0, 512)];
        write.Start(batch, 1);
        Assert.ThrowsExactly<InvalidOperationException>(() => write.Start(batch, 1));
        Assert.IsInstanceOfType<IOException>(write.Wait());
        Assert.IsNull(write.Wait(), "the error is handed over once");
    }
}
