using System.Security.Cryptography;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
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

    // Smaller, as the guest hashes, recovers and checks each of these arrays (TCG time).
    public const long RebuiltMemberBytes = 4L << 20;

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

    // RAID10 far and offset arrays whose replacement member's rebuild our engine interrupted half way
    // (recovery_offset on disk): tag, members, layout, the slot replaced, and who finishes the rebuild:
    // our engine after reassembly, or the kernel, given the images still part way.
    public static readonly RebuiltArray[] Rebuilt =
    [
        new("f2x4", 4, 0x201, 1, KernelFinishes: false),
        new("f2x5", 5, 0x201, 3, KernelFinishes: false),
        new("o2x4", 4, 0x10201, 2, KernelFinishes: false),
        new("o2x5", 5, 0x10201, 0, KernelFinishes: false),
        new("f2x5-part", 5, 0x201, 2, KernelFinishes: true),
        new("o2x4-part", 4, 0x10201, 1, KernelFinishes: true),
    ];

    // Arrays with an out-of-date member, to see what md makes of it: a spare that missed writes, and a
    // RAID1 member with a bitmap that left part way through its bitmap resync and then missed writes
    // below its recovery_offset as well (md leaves it out at assembly; mdadm --re-add takes it back).
    public static readonly StaleArray[] Stale =
    [
        new("stale-spare", RaidLevel.Raid5, 3, (int)ParityAlgorithm.LeftSymmetric, Spare: true),
        new("stale-resync", RaidLevel.Raid1, 2, 0, Spare: false),
    ];

    private KernelSession(TempDirectory directory, Dictionary<string, string> expected, Dictionary<string, long> lengths, Dictionary<string, long> checkpoints, GuestRun run)
    {
        Directory = directory;
        ExpectedSha = expected;
        ExpectedLength = lengths;
        Checkpoints = checkpoints;
        Run = run;
    }

    public TempDirectory Directory { get; }

    public IReadOnlyDictionary<string, string> ExpectedSha { get; }

    public IReadOnlyDictionary<string, long> ExpectedLength { get; }

    /// <summary>The recovery_offset (sectors) each <see cref="Rebuilt"/> array's replacement had when its rebuild was interrupted.</summary>
    public IReadOnlyDictionary<string, long> Checkpoints { get; }

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
        var checkpoints = new Dictionary<string, long>(StringComparer.Ordinal);
        var disks = new List<(string Image, string Serial)>();
        var script = new GuestScript(Ours.Sum(a => a.Disks) + Theirs.Sum(a => a.Disks) + Rebuilt.Sum(a => a.Disks) + Stale.Sum(a => a.Images));
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

        foreach (RebuiltArray a in Rebuilt)
        {
            (expected[a.Tag], lengths[a.Tag], checkpoints[a.Tag]) = WriteInterruptedRebuild(directory.Path, a);
            string[] serials = [.. Enumerable.Range(0, a.Disks).Select(i => $"{a.Tag}-{i}")];
            disks.AddRange(serials.Select((s, i) => (Path.Combine(directory.Path, $"{s}.img"), s)));
            if (a.KernelFinishes)
            {
                script.AssembleRecovering(a.Tag, serials, serials[a.Victim]);
            }
            else
            {
                script.AssembleAndCheck(a.Tag, serials);
            }
        }

        foreach (StaleArray a in Stale)
        {
            (expected[a.Tag], lengths[a.Tag]) = WriteStaleMember(directory.Path, a);
            string[] serials = [.. Enumerable.Range(0, a.Images).Select(i => $"{a.Tag}-{i}")];
            disks.AddRange(serials.Select(s => (Path.Combine(directory.Path, $"{s}.img"), s)));
            script.AssembleWithStaleMember(a.Tag, serials, serials[a.StaleImage], reAdd: !a.Spare);
        }

        script.End();
        GuestRun run = QemuGuest.Boot(kernel, directory.Path, script.Text, disks, TimeSpan.FromMinutes(5));
        problem = string.Empty;
        return new KernelSession(directory, expected, lengths, checkpoints, run);
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

    // Our engine creates and fills the array, fails one member, adds a blank replacement and stops its
    // rebuild half way (recovery_offset checkpointed), with writes landing on both sides of the
    // checkpoint while it is part rebuilt. Unless the kernel is to finish it, our engine then
    // reassembles the images and resumes the rebuild to the end. The failed member's image is not
    // given to the guest.
    private static (string Sha, long Length, long Checkpoint) WriteInterruptedRebuild(string directory, RebuiltArray a)
    {
        var devices = new IBlockDevice?[a.Disks];
        for (int i = 0; i < a.Disks; i++)
        {
            string image = Path.Combine(directory, i == a.Victim ? $"{a.Tag}-failed.img" : $"{a.Tag}-{i}.img");
            devices[i] = ImageFileDevice.Create(image, RebuiltMemberBytes);
        }

        string replacementImage = Path.Combine(directory, $"{a.Tag}-{a.Victim}.img");
        byte[] shadow;
        long memberSectors;
        using (RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(RaidLevel.Raid10) { ChunkKib = 64, Layout = a.Layout, Name = $"upsagent:{a.Tag}", AssumeClean = true },
            TimeProvider.System,
            CancellationToken.None))
        {
            shadow = new byte[array.LengthBytes];
            new Random(a.Tag.Aggregate(0x5eed, (h, c) => (h * 31) + c)).NextBytes(shadow);
            array.Write(0, shadow);
            array.Fail(array.MemberInSlot(a.Victim)!, "replaced for the kernel test");
            array.Add(ImageFileDevice.Create(replacementImage, RebuiltMemberBytes));
            array.RebuildWindowBytes = 64 * 1024;
            memberSectors = array.Geometry.MemberSectors;
            using var cancel = new CancellationTokenSource();
            var halfWay = new StopHalfWay(cancel);
            try
            {
                array.Rebuild(halfWay, cancel.Token, checkpointBytes: 256 * 1024);
                throw new InvalidOperationException($"{a.Tag}: the rebuild ran to the end instead of stopping half way");
            }
            catch (OperationCanceledException)
            {
                // Stopped half way, as meant.
            }

            var random = new Random(a.Layout + a.Disks);
            for (int i = 0; i < 12; i++)
            {
                byte[] data = new byte[random.Next(1, 96 * 1024)];
                random.NextBytes(data);
                long offset = random.NextInt64(0, array.LengthBytes - data.Length);
                array.Write(offset, data);
                data.CopyTo(shadow, offset);
            }
        }

        long checkpoint;
        using (ImageFileDevice replacement = ImageFileDevice.Open(replacementImage, writable: false))
        {
            MdSuperblock sb = ArrayAssembler.ReadSuperblock(replacement, out string problem) ?? throw new InvalidOperationException(problem);
            checkpoint = (sb.FeatureMap & MdFeatures.RecoveryOffset) != 0 ? (long)sb.RecoveryOffset : -1;
            if (checkpoint <= 0 || checkpoint >= memberSectors)
            {
                throw new InvalidOperationException($"{a.Tag}: the interrupted rebuild left recovery_offset {checkpoint} of {memberSectors} sectors");
            }
        }

        if (!a.KernelFinishes)
        {
            IBlockDevice?[] members = [.. Enumerable.Range(0, a.Disks).Select(i => (IBlockDevice?)ImageFileDevice.Open(Path.Combine(directory, $"{a.Tag}-{i}.img"), writable: true))];
            AssembleResult result = ArrayAssembler.Assemble(members, TimeProvider.System);
            using RaidArray array = result.Array ?? throw new InvalidOperationException($"{a.Tag}: {string.Join("; ", result.Errors)}");
            RaidMember resumed = array.MemberInSlot(a.Victim)!;
            if (resumed.State != MemberState.Recovering || resumed.RecoveredSectors != checkpoint)
            {
                throw new InvalidOperationException($"{a.Tag}: reassembled replacement is {resumed.State} at {resumed.RecoveredSectors} sectors, not recovering from {checkpoint}");
            }

            if (array.Rebuild(null, CancellationToken.None) != 1)
            {
                throw new InvalidOperationException($"{a.Tag}: the resumed rebuild did not finish: {string.Join("; ", array.Log)}");
            }

            array.Close();
        }

        return (Convert.ToHexStringLower(SHA256.HashData(shadow)), shadow.Length, checkpoint);
    }

    // The images of a StaleArray as our engine leaves them: the stale member's superblock is more
    // than one event behind the others'.
    private static (string Sha, long Length) WriteStaleMember(string directory, StaleArray a)
    {
        string Image(int i) => Path.Combine(directory, $"{a.Tag}-{i}.img");
        IBlockDevice?[] Open(int without) => [.. Enumerable.Range(0, a.Images).Select(i => i == without ? null : (IBlockDevice?)ImageFileDevice.Open(Image(i), writable: true))];
        RaidArray Assemble(IBlockDevice?[] members)
        {
            AssembleResult result = ArrayAssembler.Assemble(members, TimeProvider.System);
            return result.Array ?? throw new InvalidOperationException($"{a.Tag}: {string.Join("; ", result.Errors)}");
        }

        var devices = new IBlockDevice?[a.Disks];
        for (int i = 0; i < a.Disks; i++)
        {
            devices[i] = ImageFileDevice.Create(Image(i), RebuiltMemberBytes);
        }

        byte[] shadow;
        using (RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(a.Level) { ChunkKib = 64, Layout = a.Layout, Name = $"upsagent:{a.Tag}", AssumeClean = true, Bitmap = !a.Spare, BitmapChunkBytes = 64 * 1024 },
            TimeProvider.System,
            CancellationToken.None))
        {
            shadow = new byte[array.LengthBytes];
            new Random(a.Tag.Aggregate(0x5eed, (h, c) => (h * 31) + c)).NextBytes(shadow);
            array.Write(0, shadow);
            if (a.Spare)
            {
                array.Add(ImageFileDevice.Create(Image(a.StaleImage), RebuiltMemberBytes));
            }
        }

        var random = new Random(a.Images);
        if (!a.Spare)
        {
            // Away once, back for part of its bitmap resync.
            using (RaidArray array = Assemble(Open(a.StaleImage)))
            {
                RandomWrites(array, shadow, random, 40);
            }

            using (RaidArray array = Assemble(Open(-1)))
            {
                array.RebuildWindowBytes = 32 * 1024;
                using var cancel = new CancellationTokenSource();
                try
                {
                    array.Rebuild(new StopHalfWay(cancel), cancel.Token, checkpointBytes: 128 * 1024);
                    throw new InvalidOperationException($"{a.Tag}: the resync ran to the end instead of stopping half way");
                }
                catch (OperationCanceledException)
                {
                    // Stopped half way, as meant.
                }

                if (array.MemberInSlot(a.StaleImage) is not { BitmapRecovery: true, RecoveredSectors: > 0 })
                {
                    throw new InvalidOperationException($"{a.Tag}: member {a.StaleImage} is not part way through a bitmap resync");
                }
            }
        }

        // Away (again): the array's first bytes, at the start of every member, change too.
        using (RaidArray array = Assemble(Open(a.StaleImage)))
        {
            byte[] head = new byte[40_000];
            random.NextBytes(head);
            array.Write(0, head);
            head.CopyTo(shadow, 0);
            RandomWrites(array, shadow, random, 10);
        }

        using ImageFileDevice stale = ImageFileDevice.Open(Image(a.StaleImage), writable: false);
        using ImageFileDevice current = ImageFileDevice.Open(Image(0), writable: false);
        ulong old = ArrayAssembler.ReadSuperblock(stale, out string problem)?.Events ?? throw new InvalidOperationException(problem);
        ulong now = ArrayAssembler.ReadSuperblock(current, out problem)?.Events ?? throw new InvalidOperationException(problem);
        if (old + 1 >= now)
        {
            throw new InvalidOperationException($"{a.Tag}: member {a.StaleImage} at events {old} is not stale against {now}");
        }

        return (Convert.ToHexStringLower(SHA256.HashData(shadow)), shadow.Length);
    }

    private static void RandomWrites(RaidArray array, byte[] shadow, Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] data = new byte[random.Next(1, 8_000)];
            random.NextBytes(data);
            long offset = random.NextInt64(0, array.LengthBytes - data.Length);
            array.Write(offset, data);
            data.CopyTo(shadow, offset);
        }
    }

    private sealed class StopHalfWay(CancellationTokenSource cancel) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value)
        {
            if (value.DoneSectors >= value.TotalSectors / 2)
            {
                cancel.Cancel();
            }
        }
    }
}

/// <summary>An array our engine writes for the kernel to assemble.</summary>
internal sealed record OurArray(string Tag, RaidLevel Level, int Disks, int Layout, int ChunkKib, int[][] Degraded);

/// <summary>A RAID10 array whose rebuild onto a replacement in slot <see cref="Victim"/> was interrupted part way.</summary>
internal sealed record RebuiltArray(string Tag, int Disks, int Layout, int Victim, bool KernelFinishes);

/// <summary>An array whose member <see cref="StaleImage"/> is out of date: a spare that missed writes, or a member that left mid-resync.</summary>
internal sealed record StaleArray(string Tag, RaidLevel Level, int Disks, int Layout, bool Spare)
{
    public int Images => Disks + (Spare ? 1 : 0);

    public int StaleImage => Spare ? Disks : 1;
}

/// <summary>An array mdadm creates in the guest for our engine to read.</summary>
internal sealed record KernelArray(string Tag, int Level, int Disks, string Options);
