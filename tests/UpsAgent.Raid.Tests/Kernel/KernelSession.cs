using System.Security.Cryptography;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// One guest boot shared by the kernel tests: our engine writes arrays on the host, the guest assembles
/// them (clean with a check scrub, then degraded read-only), and mdadm in the guest creates and fills
/// arrays on blank disks for our engine to read back afterwards.
/// </summary>
internal sealed class KernelSession : IDisposable
{
    public const long MemberBytes = 8L << 20;

    // Ours: tag, level, members, layout, chunk KiB, and the member sets the guest leaves out for degraded reads.
    public static readonly OurArray[] Ours =
    [
        new("r1", RaidLevel.Raid1, 2, 0, 64, [[0], [1]]),
        new("r5", RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric, 64, [[0], [2]]),
        new("r6", RaidLevel.Raid6, 4, (int)ParityAlgorithm.LeftSymmetric, 64, [[1], [0, 1], [1, 3]]),
        new("r10", RaidLevel.Raid10, 4, 0x102, 64, [[0, 3], [2]]),
    ];

    // Made by mdadm in the guest: tag, level, members, mdadm options.
    public static readonly KernelArray[] Theirs =
    [
        new("k1", 1, 2, "--bitmap=internal"),
        new("k5", 5, 3, "--chunk=64"),
        new("k6", 6, 4, "--chunk=64"),
        new("k10", 10, 4, "--chunk=64 --layout=n2"),
    ];

    private KernelSession(TempDirectory directory, Dictionary<string, string> expected, Dictionary<string, long> lengths, GuestRun run)
    {
        Directory = directory;
        ExpectedSha = expected;
        ExpectedLength = lengths;
        Run = run;
    }

    public TempDirectory Directory { get; }

    public IReadOnlyDictionary<string, string> ExpectedSha { get; }

    public IReadOnlyDictionary<string, long> ExpectedLength { get; }

    public GuestRun Run { get; }

    public string ImagePath(string tag, int member) => Path.Combine(Directory.Path, $"{tag}-{member}.img");

    /// <summary>Boots once; null with the reason when the kernel, qemu, busybox or mdadm is missing.</summary>
    public static KernelSession? Start(out string problem)
    {
        GuestKernel? kernel = GuestKernel.Find(out problem);
        if (kernel is null)
        {
            return null;
        }

        if (!File.Exists(QemuGuest.Qemu))
        {
            problem = $"{QemuGuest.Qemu} is missing (Debian package qemu-system-x86)";
            return null;
        }

        if (GuestInitramfs.Problem() is { } missing)
        {
            problem = missing;
            return null;
        }

        var directory = new TempDirectory();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        var disks = new List<(string Image, string Serial)>();
        var script = new GuestScript(Ours.Sum(a => a.Disks) + Theirs.Sum(a => a.Disks));
        foreach (OurArray a in Ours)
        {
            (expected[a.Tag], lengths[a.Tag]) = WriteOurArray(directory.Path, a);
            string[] serials = [.. Enumerable.Range(0, a.Disks).Select(i => $"{a.Tag}-{i}")];
            disks.AddRange(serials.Select((s, i) => (Path.Combine(directory.Path, $"{s}.img"), s)));
            script.AssembleAndCheck($"{a.Tag}-clean", serials);
            foreach (int[] left in a.Degraded)
            {
                script.AssembleDegraded(DegradedTag(a.Tag, left), serials.Where((_, i) => !left.Contains(i)));
            }
        }

        foreach (KernelArray a in Theirs)
        {
            string[] serials = [.. Enumerable.Range(0, a.Disks).Select(i => $"{a.Tag}-{i}")];
            foreach (string s in serials)
            {
                string image = Path.Combine(directory.Path, $"{s}.img");
                using (FileStream f = File.Create(image))
                {
                    f.SetLength(MemberBytes);
                }

                disks.Add((image, s));
            }

            script.CreateAndFill(a.Tag, a.Level, serials, a.Options);
        }

        script.End();
        GuestRun run = QemuGuest.Boot(kernel, directory.Path, script.Text, disks, TimeSpan.FromMinutes(4));
        problem = string.Empty;
        return new KernelSession(directory, expected, lengths, run);
    }

    public static string DegradedTag(string tag, int[] left) => $"{tag}-without-{string.Join('-', left)}";

    public void Dispose() => Directory.Dispose();

    // Our engine creates the array on sparse images and fills it with seeded random data; the hash of
    // that data is what the kernel must read back.
    private static (string Sha, long Length) WriteOurArray(string directory, OurArray a)
    {
        var devices = new IBlockDevice?[a.Disks];
        for (int i = 0; i < a.Disks; i++)
        {
            devices[i] = ImageFileDevice.Create(Path.Combine(directory, $"{a.Tag}-{i}.img"), MemberBytes);
        }

        using RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(a.Level) { ChunkKib = a.ChunkKib, Layout = a.Layout, Name = $"upsagent:{a.Tag}", AssumeClean = true },
            TimeProvider.System,
            CancellationToken.None);
        var random = new Random(a.Tag.Aggregate(0x5eed, (h, c) => (h * 31) + c));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] piece = new byte[1 << 20];
        for (long pos = 0; pos < array.LengthBytes; pos += piece.Length)
        {
            Span<byte> data = piece.AsSpan(0, (int)Math.Min(piece.Length, array.LengthBytes - pos));
            random.NextBytes(data);
            array.Write(pos, data);
            sha.AppendData(data);
        }

        array.Close();
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), array.LengthBytes);
    }
}

/// <summary>An array our engine writes for the kernel to assemble.</summary>
internal sealed record OurArray(string Tag, RaidLevel Level, int Disks, int Layout, int ChunkKib, int[][] Degraded);

/// <summary>An array mdadm creates in the guest for our engine to read.</summary>
internal sealed record KernelArray(string Tag, int Level, int Disks, string Options);
