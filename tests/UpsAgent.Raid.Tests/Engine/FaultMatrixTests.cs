using System.Security.Cryptography;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

// Issue 5's fault matrix, bounded: on image files, for each level, fail each member before, during and
// after a stream of random writes, replace it, rebuild, and compare the SHA-256 of the whole array with
// a shadow copy. Then power cuts at random points during writes: reassemble, resync, and find no
// mismatch and no loss of any write acknowledged by a flush.
[TestClass]
public sealed class FaultMatrixTests
{
    public enum Phase
    {
        Before,
        During,
        After,
    }

    public static IEnumerable<object[]> Levels =>
    [
        [RaidLevel.Raid1, 2, 0],
        [RaidLevel.Raid4, 3, 0],
        [RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftSymmetric],
        [RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftAsymmetric],
        [RaidLevel.Raid10, 4, 0x102],
    ];

    [TestMethod]
    [DynamicData(nameof(Levels))]
    public void Failing_each_member_before_during_and_after_writes_then_rebuilding_keeps_every_byte(RaidLevel level, int disks, int layout)
    {
        using var dir = new TempDirectory();
        foreach (Phase phase in Enum.GetValues<Phase>())
        {
            for (int victim = 0; victim < disks; victim++)
            {
                RunOne(dir, level, disks, layout, victim, phase);
            }
        }
    }

    private static void RunOne(TempDirectory dir, RaidLevel level, int disks, int layout, int victim, Phase phase)
    {
        string tag = $"{level} n={disks} layout={layout} victim={victim} {phase}";
        string run = Path.Combine(dir.Path, $"{phase}-{victim}");
        Directory.CreateDirectory(run);
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(run, $"d{i}.img"))];
        FaultyBlockDevice[] devices = [.. paths.Select(p => new FaultyBlockDevice(ImageFileDevice.Create(p, TestArrays.MemberBytes)))];
        var random = new Random(HashCode.Combine(level, disks, layout, victim, phase));
        byte[] shadow;
        string replacementPath = Path.Combine(run, "new.img");
        using (RaidArray array = TestArrays.Create(devices, level, layout))
        {
            shadow = new byte[array.LengthBytes];
            if (phase == Phase.Before)
            {
                devices[victim].Vanish();
            }
            else if (phase == Phase.During)
            {
                devices[victim].FailAfterWrites(random.Next(1, 12));
            }

            TestArrays.RandomWrites(array, shadow, random, 24, maxLength: 100_000);
            if (phase == Phase.After)
            {
                devices[victim].Vanish();
            }

            // A flush reaches every member, so it finds a vanished one if no write did; the data must stay whole.
            array.Flush();
            AssertBytes.Equal(shadow, TestArrays.ReadAll(array), tag);
            Assert.AreEqual(MemberState.Faulty, array.Members.Single(m => m.Device == devices[victim]).State, tag);
            array.Add(ImageFileDevice.Create(replacementPath, TestArrays.MemberBytes));
            Assert.AreEqual(1, array.Rebuild(null, CancellationToken.None), tag);
            Assert.AreEqual(0, array.Scrub(repair: false, CancellationToken.None).MismatchSectors, tag);
        }

        paths[victim] = replacementPath;
        using RaidArray again = TestArrays.Assemble([.. paths.Select(p => (IBlockDevice)ImageFileDevice.Open(p, writable: true))]);
        Assert.AreEqual(0, again.DegradedCount, tag);
        Assert.IsFalse(again.NeedsResync, tag);
        Assert.AreEqual(Sha(shadow), Sha(TestArrays.ReadAll(again)), tag);
    }

    [TestMethod]
    [DataRow(RaidLevel.Raid1, 2, 0)]
    [DataRow(RaidLevel.Raid5, 3, 2)]
    [DataRow(RaidLevel.Raid6, 5, 2)]
    [DataRow(RaidLevel.Raid10, 4, 0x102)]
    public void Power_cuts_during_writes_lose_no_flushed_write_and_resync_to_zero_mismatches(RaidLevel level, int disks, int layout)
    {
        for (int trial = 0; trial < 8; trial++)
        {
            var random = new Random((trial * 31) + (int)level);
            MemoryBlockDevice[] media = TestArrays.Devices(disks);
            var rail = new PowerRail();
            FaultyBlockDevice[] devices = [.. media.Select(m => new FaultyBlockDevice(m, rail))];
            byte[] shadow;
            byte[] durable;
            bool[] unflushed;
            using (RaidArray array = TestArrays.Create(devices, level, layout))
            {
                foreach (MemoryBlockDevice m in media)
                {
                    m.VolatileCache = true;
                }

                shadow = new byte[array.LengthBytes];
                durable = new byte[array.LengthBytes];
                unflushed = new bool[array.LengthBytes];
                rail.CutAfterWrites(random.Next(5, 200));
                try
                {
                    for (int i = 0; i < 60; i++)
                    {
                        int length = random.Next(1, 30_000);
                        long offset = random.NextInt64(0, array.LengthBytes - length);
                        byte[] data = new byte[length];
                        random.NextBytes(data);
                        // In doubt from the moment the write starts: a cut may land part of it.
                        unflushed.AsSpan((int)offset, length).Fill(true);
                        array.Write(offset, data);
                        data.CopyTo(shadow, offset);
                        if (random.Next(3) == 0)
                        {
                            array.Flush();
                            shadow.CopyTo(durable, 0);
                            Array.Clear(unflushed);
                        }
                    }
                }
                catch (IOException)
                {
                    // The power went off: everything after the last flush is in doubt.
                }
            }

            foreach (MemoryBlockDevice m in media)
            {
                m.LosePower(random);
                m.VolatileCache = false;
            }

            using RaidArray recovered = TestArrays.Assemble(media);
            recovered.Scrub(repair: true, CancellationToken.None);
            Assert.AreEqual(0, recovered.Scrub(repair: false, CancellationToken.None).MismatchSectors, $"trial {trial}");
            byte[] after = TestArrays.ReadAll(recovered);
            for (int i = 0; i < after.Length; i++)
            {
                if (!unflushed[i] && after[i] != durable[i])
                {
                    Assert.Fail($"trial {trial}: flushed byte {i} lost (expected {durable[i]:x2}, got {after[i]:x2})");
                }
            }
        }
    }

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
