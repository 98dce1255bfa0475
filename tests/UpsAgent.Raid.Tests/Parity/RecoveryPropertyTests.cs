using UpsAgent.Raid.Parity;

namespace UpsAgent.Raid.Tests.Parity;

// Property: for random data and every choice of one or two lost blocks, recovery gives the data back.
[TestClass]
public sealed class RecoveryPropertyTests
{
    public static IEnumerable<object[]> Paths => ParityPaths.Available().Select(p => new object[] { p });

    [TestMethod]
    [DynamicData(nameof(Paths))]
    public void Any_two_lost_blocks_of_a_raid6_stripe_are_recovered(ParityPath path)
    {
        var random = new Random(42);
        foreach (int dataCount in new[] { 2, 3, 5, 8 })
        {
            foreach (int length in new[] { 1, 33, 96, 515 })
            {
                byte[] buffer = new byte[(dataCount + 2) * length];
                random.NextBytes(buffer.AsSpan(0, dataCount * length));
                int[] offsets = [.. Enumerable.Range(0, dataCount).Select(i => i * length)];
                Span<byte> p = buffer.AsSpan(dataCount * length, length);
                Span<byte> q = buffer.AsSpan((dataCount + 1) * length, length);
                PqSyndrome.Generate(buffer, length, offsets, p, q, path);
                byte[] original = (byte[])buffer.Clone();

                // Blocks 0..dataCount-1 are data, dataCount is P, dataCount+1 is Q.
                for (int x = 0; x < dataCount + 2; x++)
                {
                    for (int y = x + 1; y < dataCount + 2; y++)
                    {
                        byte[] work = (byte[])original.Clone();
                        work.AsSpan(x * length, length).Fill(0xEE);
                        work.AsSpan(y * length, length).Fill(0xEE);
                        Recover(work, dataCount, length, x, y, path);
                        CollectionAssert.AreEqual(original, work, $"n={dataCount} len={length} lost {x},{y} {path}");
                    }
                }
            }
        }
    }

    private static void Recover(byte[] work, int dataCount, int length, int x, int y, ParityPath path)
    {
        int pIndex = dataCount;
        int qIndex = dataCount + 1;
        int[] slots = [.. Enumerable.Range(0, dataCount).Select(i => i == x || i == y ? -1 : i * length)];
        Span<byte> p = work.AsSpan(pIndex * length, length);
        Span<byte> q = work.AsSpan(qIndex * length, length);
        Span<byte> Block(int i) => work.AsSpan(i * length, length);
        if (x < dataCount && y < dataCount)
        {
            PqRecovery.RecoverTwoData(work, length, slots, x, y, p, q, Block(x), Block(y), path);
        }
        else if (x < dataCount && y == pIndex)
        {
            PqRecovery.RecoverDataAndP(work, length, slots, x, q, Block(x), p, path);
        }
        else if (x < dataCount && y == qIndex)
        {
            slots[x] = pIndex * length;
            XorParity.Compute(work, length, slots, Block(x), path);
            slots[x] = -1;
            int[] all = [.. Enumerable.Range(0, dataCount).Select(i => i * length)];
            PqSyndrome.Generate(work, length, all, p, q, path);
        }
        else
        {
            int[] all = [.. Enumerable.Range(0, dataCount).Select(i => i * length)];
            PqSyndrome.Generate(work, length, all, p, q, path);
        }
    }

    [TestMethod]
    public void Any_one_lost_block_of_a_raid5_stripe_is_the_xor_of_the_rest()
    {
        var random = new Random(5);
        foreach (int disks in new[] { 2, 3, 4, 7 })
        {
            int length = 77;
            byte[] buffer = new byte[disks * length];
            random.NextBytes(buffer.AsSpan(0, (disks - 1) * length));
            XorParity.Compute(buffer, length, [.. Enumerable.Range(0, disks - 1).Select(i => i * length)], buffer.AsSpan((disks - 1) * length, length));
            for (int lost = 0; lost < disks; lost++)
            {
                byte[] work = (byte[])buffer.Clone();
                work.AsSpan(lost * length, length).Clear();
                int[] survivors = [.. Enumerable.Range(0, disks).Where(i => i != lost).Select(i => i * length)];
                PqRecovery.RecoverFromP(work, length, survivors, work.AsSpan(lost * length, length));
                CollectionAssert.AreEqual(buffer, work, $"disks {disks} lost {lost}");
            }
        }
    }
}
