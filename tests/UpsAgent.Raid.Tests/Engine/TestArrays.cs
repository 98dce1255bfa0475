using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;
using UpsAgent.TestKit.Storage;

namespace UpsAgent.Raid.Tests.Engine;

/// <summary>Small arrays in memory: 4 MiB members, 16 KiB chunks, so a whole run stays quick.</summary>
internal static class TestArrays
{
    public const long MemberBytes = 4L << 20;

    public static readonly (RaidLevel Level, int Disks, int Layout)[] Shapes =
    [
        (RaidLevel.Raid0, 3, 0),
        (RaidLevel.Raid1, 2, 0),
        (RaidLevel.Raid1, 3, 0),
        (RaidLevel.Raid4, 3, 0),
        (RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric),
        (RaidLevel.Raid5, 4, (int)ParityAlgorithm.LeftAsymmetric),
        (RaidLevel.Raid5, 4, (int)ParityAlgorithm.RightSymmetric),
        (RaidLevel.Raid5, 5, (int)ParityAlgorithm.RightAsymmetric),
        (RaidLevel.Raid6, 4, (int)ParityAlgorithm.LeftSymmetric),
        (RaidLevel.Raid6, 5, (int)ParityAlgorithm.LeftAsymmetric),
        (RaidLevel.Raid6, 6, (int)ParityAlgorithm.RightSymmetric6),
        (RaidLevel.Raid10, 4, 0x102),
        (RaidLevel.Raid10, 3, 0x102),
        (RaidLevel.Raid10, 4, 0x201),
        (RaidLevel.Raid10, 4, 0x10201),
    ];

    public static IEnumerable<object[]> ShapeRows => Shapes.Select(s => new object[] { s.Level, s.Disks, s.Layout });

    public static MemoryBlockDevice[] Devices(int count, string prefix = "m") =>
        [.. Enumerable.Range(0, count).Select(i => new MemoryBlockDevice($"{prefix}{i}", MemberBytes))];

    public static RaidArray Create(IReadOnlyList<IBlockDevice?> devices, RaidLevel level, int layout, int chunkKib = 16) =>
        ArrayCreator.Create(devices, new ArrayCreateOptions(level) { ChunkKib = chunkKib, Layout = layout, AssumeClean = true }, TimeProvider.System, CancellationToken.None);

    public static RaidArray Assemble(IReadOnlyList<IBlockDevice?> devices)
    {
        AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System);
        Assert.IsNotNull(result.Array, string.Join("; ", result.Errors));
        return result.Array;
    }

    /// <summary>Random writes of random length, mirrored into <paramref name="shadow"/>.</summary>
    public static void RandomWrites(RaidArray array, byte[] shadow, Random random, int count, int maxLength = 40_000)
    {
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(1, maxLength);
            long offset = random.NextInt64(0, array.LengthBytes - length);
            byte[] data = new byte[length];
            random.NextBytes(data);
            array.Write(offset, data);
            data.CopyTo(shadow, offset);
        }
    }

    public static byte[] ReadAll(RaidArray array)
    {
        byte[] all = new byte[array.LengthBytes];
        array.Read(0, all);
        return all;
    }
}
