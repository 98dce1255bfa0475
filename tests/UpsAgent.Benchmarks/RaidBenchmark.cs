using System.Diagnostics;
using System.Globalization;
using System.Text;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Parity;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Benchmarks;

/// <summary>
/// Mode "raid": parity throughput beside memmove measured in the same run and beside the native C
/// figures in spec raid.md §6; then array throughput on tmpfs images beside the raw image throughput.
/// </summary>
public static class RaidBenchmark
{
    // Spec raid.md §6, gcc 12.2 -O3 -march=native AVX2 on this machine class, GB/s of source data
    // (midpoints of the ranges). Key: (kernel, sources, MiB per buffer).
    private static readonly Dictionary<(string, int, int), double> s_native = new()
    {
        [("xor", 2, 1)] = 35.5, [("xor", 3, 1)] = 43, [("xor", 4, 1)] = 45.5, [("xor", 8, 1)] = 22.5,
        [("xor", 2, 64)] = 9.6, [("xor", 3, 64)] = 12.0, [("xor", 4, 64)] = 13.35, [("xor", 8, 64)] = 15.25,
        [("pq", 3, 1)] = 25, [("pq", 4, 1)] = 22.5, [("pq", 8, 1)] = 13,
        [("pq", 3, 64)] = 8.5, [("pq", 4, 64)] = 9.65, [("pq", 8, 64)] = 9.6,
    };

    public static int Run(string[] args)
    {
        RaidBenchOptions? options = RaidBenchOptions.Parse(args, out string error);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(RaidBenchOptions.Usage);
            return 2;
        }

        Console.WriteLine($"# raid benchmark: {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, " +
            $"Vector256 {Vector256Accelerated()}, Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, best path {ParityPaths.Best}");
        if (options.Parity)
        {
            Console.WriteLine(ParityTable(options));
        }

        if (options.Array)
        {
            Console.WriteLine(ArrayTable(options));
        }

        return 0;
    }

    private static bool Vector256Accelerated() => System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;

    private static string ParityTable(RaidBenchOptions options)
    {
        var table = new StringBuilder()
            .AppendLine("| kernel | path | sources | MiB each | GB/s | memmove GB/s | / memmove | native C GB/s | / native |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int mib in options.BufferMib)
        {
            int length = mib << 20;
            byte[] memSource = Filled(length, 1);
            byte[] memTarget = new byte[length];
            double memmove = Throughput(length, options.Seconds, () => memSource.AsSpan().CopyTo(memTarget));
            foreach (int sources in options.Sources)
            {
                byte[] blocks = Filled(sources * length, sources);
                int[] offsets = [.. Enumerable.Range(0, sources).Select(i => i * length)];
                byte[] p = new byte[length];
                byte[] q = new byte[length];
                foreach (ParityPath path in options.Paths.Where(ParityPaths.Available().Contains))
                {
                    if (path == ParityPath.Scalar && mib > 1)
                    {
                        continue;
                    }

                    double xor = Throughput((long)sources * length, options.Seconds, () => XorParity.Compute(blocks, length, offsets, p, path));
                    Row(table, "XOR", path, sources, mib, xor, memmove, s_native.GetValueOrDefault(("xor", sources, mib)));
                    double pq = Throughput((long)sources * length, options.Seconds, () => PqSyndrome.Generate(blocks, length, offsets, p, q, path));
                    Row(table, "P+Q", path, sources, mib, pq, memmove, s_native.GetValueOrDefault(("pq", sources, mib)));
                }
            }
        }

        return table.ToString();
    }

    private static void Row(StringBuilder table, string kernel, ParityPath path, int sources, int mib, double gbs, double memmove, double native) =>
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {kernel} | {path} | {sources} | {mib} | {gbs:F1} | {memmove:F1} | {Ratio(gbs, memmove)} | {(native > 0 ? native.ToString("F1", CultureInfo.InvariantCulture) : "-")} | {Ratio(gbs, native)} |");

    private static string ArrayTable(RaidBenchOptions options)
    {
        string root = Path.Combine(options.Directory, $"upsagent-raid-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        try
        {
            var table = new StringBuilder()
                .AppendLine($"members of {options.MemberMib} MiB on {options.Directory}, chunk {options.ChunkKib} KiB, MB/s = 10^6 bytes/s")
                .AppendLine()
                .AppendLine("| array | measure | MB/s | reference | ref MB/s | / ref |")
                .AppendLine("|---|---|---:|---|---:|---:|");
            var summary = new List<RebuildSummary>();
            foreach ((RaidLevel level, int disks) in options.Arrays)
            {
                summary.Add(ArrayRows(table, root, level, disks, options));
            }

            return table.AppendLine().Append(SummaryTable(summary)).ToString();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static RebuildSummary ArrayRows(StringBuilder table, string root, RaidLevel level, int disks, RaidBenchOptions options)
    {
        long memberBytes = (long)options.MemberMib << 20;
        string name = $"RAID{(int)level} ×{disks}";
        string[] paths = [.. Enumerable.Range(0, disks).Select(i => Path.Combine(root, $"r{(int)level}-{disks}-{i}.img"))];

        // Raw images: one file written and read alone, then every member read at once (per-member rate).
        byte[] block = Filled(1 << 20, 3);
        double rawWrite = Timed(memberBytes, () => RawPass(paths[0], memberBytes, block, write: true));
        double rawRead = Timed(memberBytes, () => RawPass(paths[0], memberBytes, block, write: false));
        File.Delete(paths[0]);

        var devices = new IBlockDevice?[disks];
        for (int i = 0; i < disks; i++)
        {
            devices[i] = ImageFileDevice.Create(paths[i], memberBytes);
        }

        RaidArray array = ArrayCreator.Create(
            devices,
            new ArrayCreateOptions(level) { ChunkKib = options.ChunkKib, AssumeClean = true, Name = "bench:0" },
            TimeProvider.System,
            CancellationToken.None);
        long arrayBytes = array.LengthBytes;
        byte[] io = Filled(options.IoKib << 10, 5);
        double seqWrite = Timed(arrayBytes, () => Sequential(array, io, write: true));
        double seqRead = Timed(arrayBytes, () => Sequential(array, io, write: false));
        (double randRead, double randWrite) = RandomIo(array, options);
        array.Dispose();

        double concurrentRead = Timed((long)disks * memberBytes, () => Parallel.ForEach(paths, path => RawPass(path, memberBytes, new byte[1 << 20], write: false))) / disks;

        // Degraded: member 0 missing, then a fresh image in its place rebuilt from the others.
        File.Delete(paths[0]);
        devices = [null, .. paths.Skip(1).Select(p => (IBlockDevice?)ImageFileDevice.Open(p, writable: true))];
        AssembleResult assembled = ArrayAssembler.Assemble(devices, TimeProvider.System);
        using RaidArray degraded = assembled.Array ?? throw new InvalidOperationException(string.Join("; ", assembled.Errors));
        double degradedRead = Timed(arrayBytes, () => Sequential(degraded, io, write: false));

        // The rebuild target two ways. A fresh sparse image makes tmpfs allocate and zero every page as the
        // rebuild writes it, which a replacement disk (a block device) never does; a preallocated image
        // (fallocate, as the pages of a disk that was written before) leaves the write a copy. The engine
        // runs unthrottled: neither md's default sync_speed_max (200 MB/s) that the agent applies nor the
        // floor it drops to right after the foreground reads above.
        string spare = Path.Combine(root, "prealloc-probe.img");
        double rawWritePre = 0;
        for (int i = 0; i < 3; i++)
        {
            Preallocate(spare, memberBytes);
            rawWritePre = Math.Max(rawWritePre, Timed(memberBytes, () => RawPass(spare, memberBytes, block, write: true)));
            File.Delete(spare);
        }

        // The references are measured again right before each rebuild round (paired rounds): this host's
        // speed drifts by a third within a minute, and a ratio of two figures taken far apart measures
        // the drift. Each ratio is the median over the rounds of round-own figures.
        // "Its I/O alone" is the bytes a rebuild must move, moved raw and at once with no parity or
        // geometry: as many member reads as a rebuilt block is made of (1 for a mirror, the data blocks of
        // a stripe for RAID 4/5/6) and the write of one preallocated image. On tmpfs they all share one
        // memory and two CPUs, so this, not one image read alone, is how fast the members can be read
        // while one is rebuilt.
        int sources = level is RaidLevel.Raid1 or RaidLevel.Raid10 ? 1 : degraded.Geometry.DataDisks;
        (double OneRead, double IoAlone, double IoAloneCpuMs) References()
        {
            double one = Timed(memberBytes, () => RawPass(paths[1], memberBytes, block, write: false));
            Preallocate(spare, memberBytes);
            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double alone = Timed(memberBytes, () => Parallel.For(0, sources + 1, k =>
                RawPass(k < sources ? paths[1 + k] : spare, memberBytes, new byte[1 << 20], write: k == sources)));
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            File.Delete(spare);
            return (one, alone, cpu.TotalMilliseconds);
        }

        long rebuildBytes = degraded.Geometry.MemberSectors * 512;
        Rounds fresh = RebuildRounds(degraded, paths[0], memberBytes, rebuildBytes, preallocate: false, options, kernelCopy: false, References);
        Rounds pre = RebuildRounds(degraded, paths[0], memberBytes, rebuildBytes, preallocate: true, options, kernelCopy: false, References);

        // RAID1 can copy between image files inside the kernel (off by default); that path beside it.
        Rounds? preKernel = level == RaidLevel.Raid1
            ? RebuildRounds(degraded, paths[0], memberBytes, rebuildBytes, preallocate: true, options, kernelCopy: true, References)
            : null;
        double oneRead = pre.Best(r => r.OneRead);
        double ioAlone = pre.Best(r => r.IoAlone);

        Line(table, name, "raw image write (1 fresh file)", rawWrite, "-", 0);
        Line(table, name, "raw image write (1 preallocated file, best of 3)", rawWritePre, "-", 0);
        Line(table, name, "raw image read (1 file)", rawRead, "-", 0);
        Line(table, name, "raw image read (1 file, best of the rebuild rounds' own)", oneRead, "-", 0);
        Line(table, name, $"raw image read ({disks} files at once, per file)", concurrentRead, "-", 0);
        Line(table, name, $"sequential write {options.IoKib} KiB", seqWrite, "raw write", rawWrite);
        Line(table, name, $"sequential read {options.IoKib} KiB", seqRead, "raw read", rawRead);
        Line(table, name, $"random write {options.RandomKib} KiB", randWrite, "raw write", rawWrite);
        Line(table, name, $"random read {options.RandomKib} KiB", randRead, "raw read", rawRead);
        Line(table, name, "degraded sequential read (1 missing)", degradedRead, "sequential read", seqRead);
        Line(table, name, "rebuild onto a preallocated image (best round)", pre.BestMbs, "raw read (1 file, median of round ratios)", oneRead, pre.Median(r => r.Mbs / r.OneRead));
        Line(table, name, "rebuild onto a preallocated image (best round)", pre.BestMbs, "raw write (1 preallocated file)", rawWritePre);
        Line(table, name, "rebuild onto a preallocated image (best round)", pre.BestMbs, $"raw read ({disks} at once)", concurrentRead);
        Line(table, name, "rebuild onto a preallocated image (best round)", pre.BestMbs, $"its I/O alone ({sources} reads + 1 write at once, median of round ratios)", ioAlone, pre.Median(r => r.Mbs / r.IoAlone));
        if (preKernel is not null)
        {
            Line(table, name, "rebuild onto a preallocated image, copied in the kernel (best round)", preKernel.BestMbs, "raw read (1 file, median of round ratios)", preKernel.Best(r => r.OneRead), preKernel.Median(r => r.Mbs / r.OneRead));
        }

        Line(table, name, "rebuild onto a fresh sparse image (best round)", fresh.BestMbs, "raw read (1 file, median of round ratios)", fresh.Best(r => r.OneRead), fresh.Median(r => r.Mbs / r.OneRead));
        Line(table, name, "rebuild onto a fresh sparse image (best round)", fresh.BestMbs, "raw write (1 fresh file)", rawWrite);
        Split(table, name, "preallocated", pre.BestTimes);
        Split(table, name, "preallocated, copied in the kernel", preKernel?.BestTimes);
        Split(table, name, "fresh", fresh.BestTimes);
        degraded.Dispose();
        (double pacedRebuild, double pacedRead) = options.DiskMbs > 0 ? PacedRows(table, name, paths, memberBytes, options) : (0, 0);
        return new RebuildSummary(name, pre, preKernel, concurrentRead, sources, pacedRebuild, pacedRead);
    }

    // Per array, the figures the target is about: rebuild onto a preallocated image against one image
    // read alone, against the rebuild's own I/O done raw, and over disk-paced members.
    private static string SummaryTable(List<RebuildSummary> rows)
    {
        var table = new StringBuilder()
            .AppendLine("rebuild onto a preallocated image against member reads, MB/s (best round; ratios: median over the rounds, each round with its own references):")
            .AppendLine()
            .AppendLine("| array | rebuild | CPU ms | one image read | / one image read | its I/O alone (reads + 1 write at once, raw) | / its I/O alone | CPU ms / its I/O alone's | all members read at once, per member | RAID1 copied in the kernel, / one image read | disk-paced rebuild / one member read |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|");
        foreach (RebuildSummary r in rows)
        {
            Rounds p = r.Preallocated;
            string kernel = r.Kernel is { } k ? $"{k.BestMbs:F0}, {Ratio(k.Median(x => x.Mbs / x.OneRead))}" : "-";
            string paced = r.PacedRead > 0 ? $"{r.PacedRebuild:F0} / {r.PacedRead:F0} = {Ratio(r.PacedRebuild, r.PacedRead)}" : "-";
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Array} | {p.BestMbs:F0} | {p.BestCpuMs:F0} | {p.Best(x => x.OneRead):F0} | {Ratio(p.Median(x => x.Mbs / x.OneRead))} | {p.Best(x => x.IoAlone):F0} ({r.Sources} + 1) | {Ratio(p.Median(x => x.Mbs / x.IoAlone))} | {p.BestCpuMs:F0} / {p.Median(x => x.IoAloneCpuMs):F0} | {r.AllAtOnce:F0} | {kernel} | {paced} |");
        }

        return table.ToString();
    }

    // The same images behind disk-like members of DiskMbs each: one member read alone, then a rebuild
    // onto a replacement of the same speed, the ratio being the target's "of member read speed".
    private static (double Rebuild, double Read) PacedRows(StringBuilder table, string name, string[] paths, long memberBytes, RaidBenchOptions options)
    {
        double rate = options.DiskMbs * 1e6;
        using (var one = new PacedBlockDevice(ImageFileDevice.Open(paths[1], writable: false), rate))
        {
            byte[] block = new byte[1 << 20];
            double read = Timed(memberBytes, () =>
            {
                for (long pos = 0; pos + block.Length <= memberBytes; pos += block.Length)
                {
                    one.Read(pos, block);
                }
            });
            Line(table, name, $"disk-paced members ({options.DiskMbs} MB/s each): one member read", read, "-", 0);
            IBlockDevice?[] devices = [.. paths.Select(p => (IBlockDevice?)new PacedBlockDevice(ImageFileDevice.Open(p, writable: true), rate))];
            AssembleResult assembled = ArrayAssembler.Assemble(devices, TimeProvider.System);
            using RaidArray array = assembled.Array ?? throw new InvalidOperationException(string.Join("; ", assembled.Errors));
            RaidMember first = array.MemberInSlot(0)!;
            array.Fail(first, "benchmark");
            array.Remove(first);
            first.Device.Dispose();
            File.Delete(paths[0]);
            array.Add(new PacedBlockDevice(ImageFileDevice.Open(Preallocate(paths[0], memberBytes), writable: true), rate));
            array.Throttle.SetLimits(long.MaxValue / 2048, long.MaxValue / 2048);
            if (options.WindowKib > 0)
            {
                array.RebuildWindowBytes = options.WindowKib << 10;
            }

            double rebuild = Timed(array.Geometry.MemberSectors * 512, () => array.Rebuild(null, CancellationToken.None));
            Line(table, name, $"disk-paced members ({options.DiskMbs} MB/s each): rebuild", rebuild, "one member read", read);
            Split(table, name, "disk-paced", array.LastRebuildTimings);
            return (rebuild, read);
        }
    }

    // Rounds of: references measured, replacement in slot 0 (the previous one failed, removed and
    // deleted), rebuild, time.
    private static Rounds RebuildRounds(RaidArray array, string path, long memberBytes, long rebuildBytes, bool preallocate, RaidBenchOptions options, bool kernelCopy, Func<(double OneRead, double IoAlone, double IoAloneCpuMs)> references)
    {
        var rounds = new Rounds();
        for (int round = 0; round < options.RebuildRounds; round++)
        {
            if (array.MemberInSlot(0) is { } previous)
            {
                array.Fail(previous, "benchmark round");
                array.Remove(previous);
                previous.Device.Dispose();
                File.Delete(path);
            }

            (double oneRead, double ioAlone, double ioAloneCpuMs) = references();
            array.Add(preallocate ? ImageFileDevice.Open(Preallocate(path, memberBytes), writable: true) : ImageFileDevice.Create(path, memberBytes));
            array.Throttle.SetLimits(long.MaxValue / 2048, long.MaxValue / 2048);
            array.RebuildKernelCopy = kernelCopy;
            if (options.WindowKib > 0)
            {
                array.RebuildWindowBytes = options.WindowKib << 10;
            }

            TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
            double mbs = Timed(rebuildBytes, () => array.Rebuild(null, CancellationToken.None));
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            rounds.Add(new Round(mbs, cpu.TotalMilliseconds, array.LastRebuildTimings, oneRead, ioAlone, ioAloneCpuMs));
        }

        return rounds;
    }

    // An image whose pages are all allocated (posix_fallocate), of the given length.
    private static string Preallocate(string path, long bytes)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle h = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, preallocationSize: bytes);
        RandomAccess.SetLength(h, bytes);
        return path;
    }

    private static void Split(StringBuilder table, string array, string target, RebuildTimings? t)
    {
        if (t is null)
        {
            return;
        }

        string kernel = t.KernelCopiedBytes > 0 ? $" ({t.KernelCopiedBytes >> 20} MiB copied by the kernel, counted as reading)" : string.Empty;
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {array} | rebuild time ({target}): reading / computing / waiting for the write, ms{kernel} | {t.Reading.TotalMilliseconds:F0} / {t.Computing.TotalMilliseconds:F0} / {t.WaitingForWrite.TotalMilliseconds:F0} | of | {t.Elapsed.TotalMilliseconds:F0} | - |");
    }

    private static void Line(StringBuilder table, string array, string measure, double mbs, string reference, double refMbs) =>
        Line(table, array, measure, mbs, reference, refMbs, refMbs > 0 ? mbs / refMbs : 0);

    private static void Line(StringBuilder table, string array, string measure, double mbs, string reference, double refMbs, double ratio) =>
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| {array} | {measure} | {mbs:F0} | {reference} | {(refMbs > 0 ? refMbs.ToString("F0", CultureInfo.InvariantCulture) : "-")} | {Ratio(ratio)} |");

    private static void RawPass(string path, long bytes, byte[] block, bool write)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle h = File.OpenHandle(path, write ? FileMode.OpenOrCreate : FileMode.Open, write ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite);
        for (long pos = 0; pos < bytes; pos += block.Length)
        {
            if (write)
            {
                RandomAccess.Write(h, block, pos);
            }
            else
            {
                _ = RandomAccess.Read(h, block, pos);
            }
        }
    }

    private static void Sequential(RaidArray array, byte[] io, bool write)
    {
        for (long pos = 0; pos < array.LengthBytes; pos += io.Length)
        {
            Span<byte> span = io.AsSpan(0, (int)Math.Min(io.Length, array.LengthBytes - pos));
            if (write)
            {
                array.Write(pos, span);
            }
            else
            {
                array.Read(pos, span);
            }
        }
    }

    // Bounded by count and time: at most RandomOps operations or Seconds×4 seconds each way.
    private static (double Read, double Write) RandomIo(RaidArray array, RaidBenchOptions options)
    {
        int size = options.RandomKib << 10;
        byte[] buffer = Filled(size, 9);
        long slots = array.LengthBytes / size;
        var random = new Random(11);
        double Run(bool write)
        {
            var sw = Stopwatch.StartNew();
            int ops = 0;
            for (; ops < options.RandomOps && sw.Elapsed.TotalSeconds < options.Seconds * 4; ops++)
            {
                long pos = random.NextInt64(slots) * size;
                if (write)
                {
                    array.Write(pos, buffer);
                }
                else
                {
                    array.Read(pos, buffer);
                }
            }

            return (double)ops * size / sw.Elapsed.TotalSeconds / 1e6;
        }

        double read = Run(false);
        double written = Run(true);
        return (read, written);
    }

    private static double Timed(long bytes, Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return bytes / sw.Elapsed.TotalSeconds / 1e6;
    }

    // Best of three trials, each repeating the operation for at least `seconds` (bounded to 10 000 calls).
    private static double Throughput(long bytesPerCall, double seconds, Action action)
    {
        action();
        double best = 0;
        for (int trial = 0; trial < 3; trial++)
        {
            var sw = Stopwatch.StartNew();
            long calls = 0;
            do
            {
                action();
                calls++;
            }
            while (sw.Elapsed.TotalSeconds < seconds && calls < 10_000);

            best = Math.Max(best, calls * bytesPerCall / sw.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }

    private static byte[] Filled(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static string Ratio(double ours, double reference) => reference > 0 ? Ratio(ours / reference) : "-";

    private static string Ratio(double ratio) => ratio > 0 ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "-";

    private sealed record RebuildSummary(string Array, Rounds Preallocated, Rounds? Kernel, double AllAtOnce, int Sources, double PacedRebuild, double PacedRead);

    private sealed record Round(double Mbs, double CpuMs, RebuildTimings? Times, double OneRead, double IoAlone, double IoAloneCpuMs);

    // The rounds of one rebuild measurement: the best round's speed, CPU and time split, and the median
    // of per-round ratios.
    private sealed class Rounds
    {
        private readonly List<Round> _rounds = [];

        public double BestMbs => BestRound.Mbs;

        public double BestCpuMs => BestRound.CpuMs;

        public RebuildTimings? BestTimes => BestRound.Times;

        private Round BestRound => _rounds.MaxBy(r => r.Mbs)!;

        public void Add(Round round) => _rounds.Add(round);

        public double Best(Func<Round, double> value) => _rounds.Max(value);

        public double Median(Func<Round, double> value)
        {
            double[] sorted = [.. _rounds.Select(value).Order()];
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
        }
    }
}
