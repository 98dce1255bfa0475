using System.Globalization;
using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Commands;

/// <summary>
/// One-shot array commands in mdadm's vocabulary, working on member paths without a running agent.
/// Each returns an exit code: 0 done, 1 with a message naming the file and the problem.
/// </summary>
public static class RaidCommands
{
    public const string Missing = "missing";

    public static readonly IReadOnlyList<string> Names =
        ["create", "examine", "detail", "write", "read", "rebuild", "check", "repair", "add", "fail", "remove"];

    public static int Run(
        string command, RaidCommandArgs args, TextWriter output, TextWriter error, Stream stdin, Stream stdout, CancellationToken cancellationToken)
    {
        try
        {
            return command switch
            {
                "create" => Create(args, output, cancellationToken),
                "examine" => Examine(args, output, error),
                "detail" => Detail(args, output),
                "write" => Write(args, output, stdin, cancellationToken),
                "read" => Read(args, error, stdout, cancellationToken),
                "rebuild" => Rebuild(args, output, cancellationToken),
                "check" => Scrub(args, output, repair: false, cancellationToken),
                "repair" => Scrub(args, output, repair: true, cancellationToken),
                "add" => Add(args, output),
                "fail" => Fail(args, output),
                "remove" => Remove(args, output),
                _ => throw new RaidCommandException($"unknown raid command '{command}' (one of: {string.Join(", ", Names)})"),
            };
        }
        catch (RaidCommandException e)
        {
            error.WriteLine($"raid {command}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            error.WriteLine($"raid {command}: {e.Message}");
            return 1;
        }
    }

    public static int Create(RaidCommandArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Level is not { } levelNumber)
        {
            throw new RaidCommandException("give the level explicitly with --level (0, 1, 4, 5, 6 or 10)");
        }

        if (!Enum.IsDefined((RaidLevel)levelNumber))
        {
            throw new RaidCommandException($"RAID level {levelNumber} is not supported (0, 1, 4, 5, 6 or 10)");
        }

        var level = (RaidLevel)levelNumber;
        RequireMembers(args, 1);
        int? layout = null;
        if (args.Layout is not null)
        {
            layout = LayoutNames.Parse(level, args.Layout, out string problem) ?? throw new RaidCommandException(problem);
        }

        long? size = null;
        if (args.Size is not null)
        {
            size = SizeParser.TryParse(args.Size) ?? throw new RaidCommandException($"--size '{args.Size}' is not a size (bytes, or with K, M, G, T)");
        }

        var devices = new List<IBlockDevice?>();
        bool allFresh = true;
        try
        {
            foreach (string path in args.Members)
            {
                if (path == Missing)
                {
                    devices.Add(null);
                    continue;
                }

                if (!File.Exists(path) && !path.StartsWith("/dev/", StringComparison.Ordinal))
                {
                    if (size is null)
                    {
                        throw new RaidCommandException($"{path}: no such file (give --size to create image files)");
                    }

                    devices.Add(ImageFileDevice.Create(path, size.Value));
                    continue;
                }

                allFresh = false;
                ImageFileDevice device = ImageFileDevice.Open(path, writable: true);
                devices.Add(device);
                if (!args.Force && ArrayAssembler.ReadSuperblock(device, out _) is { } existing)
                {
                    throw new RaidCommandException($"{path}: already a member of array {existing.SetUuid} (RAID{existing.Level}); use --force to overwrite it");
                }
            }

            var options = new ArrayCreateOptions(level)
            {
                ChunkKib = args.ChunkKib ?? MdCreateDefaults.ChunkKib,
                Layout = layout,
                Name = args.Name ?? $"{Environment.MachineName}:0",
                AssumeClean = allFresh || args.AssumeClean,
                Bitmap = args.Bitmap,
                BitmapChunkBytes = args.BitmapChunkKib * 1024,
            };
            if (options.Name.Length > 31)
            {
                options = options with { Name = options.Name[..31] };
            }

            using RaidArray array = ArrayCreator.Create(devices, options, TimeProvider.System, cancellationToken);
            output.WriteLine(
                $"created RAID{levelNumber} array {array.Uuid}: {array.Geometry.RaidDisks} members, " +
                $"{Describe(array.Geometry)}, {FormatBytes(array.LengthBytes)}" +
                (array.Bitmap is { } bitmap ? $", internal bitmap of {bitmap.Bits} x {bitmap.Header.ChunkBytes / 1024}K chunks" : string.Empty));
            devices.Clear();
            return 0;
        }
        finally
        {
            foreach (IBlockDevice? d in devices)
            {
                d?.Dispose();
            }
        }
    }

    public static int Examine(RaidCommandArgs args, TextWriter output, TextWriter error)
    {
        RequireMembers(args, 1);
        int status = 0;
        foreach (string path in args.Members.Where(m => m != Missing))
        {
            using ImageFileDevice device = OpenExisting(path, writable: false);
            MdSuperblock? sb = ArrayAssembler.ReadSuperblock(device, out string problem);
            if (sb is null)
            {
                error.WriteLine($"raid examine: {problem}");
                status = 1;
                continue;
            }

            output.WriteLine($"{path}:");
            var level = (RaidLevel)sb.Level;
            Field(output, "Magic", $"{MdSuperblock.Magic:x8}");
            Field(output, "Version", "1.2");
            Field(output, "Feature Map", $"0x{(uint)sb.FeatureMap:x}");
            Field(output, "Array UUID", sb.SetUuid.ToString());
            Field(output, "Name", sb.SetName);
            Field(output, "Creation Time", sb.CreationTime.ToString("u", CultureInfo.InvariantCulture));
            Field(output, "Raid Level", $"raid{sb.Level}");
            Field(output, "Raid Devices", sb.RaidDisks.ToString(CultureInfo.InvariantCulture));
            Field(output, "Avail Dev Size", $"{sb.DataSize} sectors");
            Field(output, "Used Dev Size", $"{sb.Size} sectors");
            Field(output, "Data Offset", $"{sb.DataOffset} sectors");
            Field(output, "Super Offset", $"{sb.SuperOffset} sectors");
            if ((sb.FeatureMap & MdFeatures.BitmapOffset) != 0)
            {
                Field(output, "Internal Bitmap", $"{sb.BitmapOffset} sectors from superblock");
            }

            if ((sb.FeatureMap & MdFeatures.RecoveryOffset) != 0)
            {
                Field(output, "Recovery Offset", $"{sb.RecoveryOffset} sectors");
            }

            Field(output, "State", sb.IsClean ? "clean" : "active");
            Field(output, "Device UUID", sb.DeviceUuid.ToString());
            Field(output, "Update Time", sb.UpdateTime.ToString("u", CultureInfo.InvariantCulture));
            Field(output, "Checksum", $"{sb.Checksum:x} - correct");
            Field(output, "Events", sb.Events.ToString(CultureInfo.InvariantCulture));
            if (level is RaidLevel.Raid4 or RaidLevel.Raid5 or RaidLevel.Raid6 or RaidLevel.Raid10)
            {
                Field(output, "Layout", LayoutNames.Describe(level, sb.Layout));
            }

            if (sb.ChunkSectors > 0)
            {
                Field(output, "Chunk Size", $"{sb.ChunkSectors / 2}K");
            }

            Field(output, "Device Role", DiskRoles.Describe(sb.Role));
            Field(output, "Array State", ArrayState(sb));
            if ((sb.FeatureMap & MdFeatures.BitmapOffset) != 0)
            {
                ExamineBitmap(device, sb, output, error);
            }
        }

        return status;
    }

    // The bitmap superblock and dirty count, as mdadm --examine-bitmap (-X) prints them.
    private static void ExamineBitmap(IBlockDevice device, MdSuperblock sb, TextWriter output, TextWriter error)
    {
        long offset = MdSuperblock.ByteOffsetV12 + ((long)sb.BitmapOffset * 512);
        byte[] head = new byte[512];
        device.Read(offset, head);
        BitmapSuperblock? header = BitmapSuperblock.TryParse(head, sb.SetUuid, out string problem);
        if (header is null)
        {
            error.WriteLine($"raid examine: {device.Name}: {problem}");
            return;
        }

        byte[] area = new byte[BitmapSuperblock.StructBytes + ((header.Bits + 7) / 8)];
        device.Read(offset, area);
        WriteIntentBitmap? bitmap = WriteIntentBitmap.Load(area, sb.SetUuid, 0, out problem);
        if (bitmap is null)
        {
            error.WriteLine($"raid examine: {device.Name}: {problem}");
            return;
        }

        Field(output, "Bitmap Events", $"{header.Events} (cleared {header.EventsCleared})");
        Field(output, "Bitmap Chunk", $"{header.ChunkBytes / 1024}K, daemon {header.DaemonSleepSeconds}s, sync size {header.SyncSectors / 2}K");
        Field(output, "Bitmap", $"{bitmap.Bits} bits (chunks), {bitmap.DirtyCount} dirty");
    }

    public static int Detail(RaidCommandArgs args, TextWriter output)
    {
        using RaidArray array = Assemble(args, writable: true, output, resync: false);
        ArrayGeometry g = array.Geometry;
        Field(output, "Array UUID", array.Uuid.ToString());
        Field(output, "Name", array.Name);
        Field(output, "Raid Level", $"raid{(int)g.Level}");
        Field(output, "Array Size", FormatBytes(array.LengthBytes));
        Field(output, "Raid Devices", g.RaidDisks.ToString(CultureInfo.InvariantCulture));
        Field(output, "Geometry", Describe(g));
        Field(output, "Events", array.Events.ToString(CultureInfo.InvariantCulture));
        Field(output, "State", array.StateText);
        Field(output, "Consistency", array.Bitmap is { } bitmap
            ? $"bitmap ({bitmap.Bits} x {bitmap.Header.ChunkBytes / 1024}K chunks, {bitmap.DirtyCount} dirty)"
            : "resync");
        foreach (RaidMember m in array.Members.OrderBy(m => m.Slot < 0 ? int.MaxValue : m.Slot))
        {
            string state = m.State switch
            {
                MemberState.Recovering => $"recovering {100.0 * m.RecoveredSectors / g.MemberSectors:0.0}%",
                MemberState.Faulty => $"faulty ({m.FailReason})",
                _ => m.State.ToString().ToLowerInvariant(),
            };
            output.WriteLine($"  {(m.Slot >= 0 ? m.Slot.ToString(CultureInfo.InvariantCulture) : "-"),4}  {state,-24} {m.Device.Name}");
        }

        for (int slot = 0; slot < g.RaidDisks; slot++)
        {
            if (array.MemberInSlot(slot) is null)
            {
                output.WriteLine($"  {slot,4}  {"missing",-24}");
            }
        }

        return 0;
    }

    public static int Write(RaidCommandArgs args, TextWriter output, Stream stdin, CancellationToken cancellationToken)
    {
        using RaidArray array = Assemble(args, writable: true, output);
        if (args.Offset < 0 || args.Offset > array.LengthBytes)
        {
            throw new RaidCommandException($"--offset {args.Offset} is outside the array's {array.LengthBytes} bytes");
        }

        byte[] buffer = new byte[1 << 20];
        long position = args.Offset;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // --sync: each block as it arrives, flushed and acknowledged, like dd oflag=sync.
            int n = args.Sync ? stdin.Read(buffer, 0, buffer.Length) : ReadFull(stdin, buffer);
            if (n == 0)
            {
                break;
            }

            if (position + n > array.LengthBytes)
            {
                throw new RaidCommandException($"the input runs past the end of the array ({array.LengthBytes} bytes) at offset {position}; wrote {position - args.Offset} bytes");
            }

            array.Write(position, buffer.AsSpan(0, n));
            position += n;
            if (args.Sync)
            {
                array.Flush();
                output.WriteLine($"synced {position - args.Offset} bytes");
                output.Flush();
            }
        }

        array.Flush();
        array.Close();
        output.WriteLine($"wrote {position - args.Offset} bytes at offset {args.Offset}");
        return 0;
    }

    /// <summary>Array bytes go to <paramref name="stdout"/>; warnings to <paramref name="messages"/>, never into the data.</summary>
    public static int Read(RaidCommandArgs args, TextWriter messages, Stream stdout, CancellationToken cancellationToken)
    {
        using RaidArray array = Assemble(args, writable: true, messages, resync: false);
        long length = args.Length ?? (array.LengthBytes - args.Offset);
        if (args.Offset < 0 || length < 0 || args.Offset + length > array.LengthBytes)
        {
            throw new RaidCommandException($"bytes {args.Offset}..{args.Offset + length} are outside the array's {array.LengthBytes} bytes");
        }

        byte[] buffer = new byte[1 << 20];
        for (long done = 0; done < length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = (int)Math.Min(buffer.Length, length - done);
            array.Read(args.Offset + done, buffer.AsSpan(0, n));
            stdout.Write(buffer, 0, n);
            done += n;
        }

        stdout.Flush();
        return 0;
    }

    public static int Rebuild(RaidCommandArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using RaidArray array = Assemble(args, writable: true, output);
        if (!array.Members.Any(m => m.State == MemberState.Recovering))
        {
            output.WriteLine(array.DegradedCount > 0
                ? "nothing to rebuild onto: add a replacement with 'raid add --device PATH'"
                : "nothing to rebuild: every member is in sync");
            return array.DegradedCount > 0 ? 1 : 0;
        }

        double reported = -10;
        var progress = new Progress(p =>
        {
            if (p.Percent - reported >= 10 || p.DoneSectors == p.TotalSectors)
            {
                reported = p.Percent;
                output.WriteLine($"rebuild {p.Member}: {p.Percent:0.0}%");
            }
        });
        int rebuilt = array.Rebuild(progress, cancellationToken, checkpointBytes: 64L << 20);
        array.Close();
        output.WriteLine($"rebuilt {rebuilt} member(s); state {array.StateText}");
        return 0;
    }

    public static int Scrub(RaidCommandArgs args, TextWriter output, bool repair, CancellationToken cancellationToken)
    {
        using RaidArray array = Assemble(args, writable: true, output, resync: !repair);
        if (array.Geometry.Level == RaidLevel.Raid0)
        {
            throw new RaidCommandException("RAID0 has no redundancy to check");
        }

        ScrubResult result = array.Scrub(repair, cancellationToken);
        array.Close();
        output.WriteLine($"{(repair ? "repair" : "check")}: mismatch_cnt={result.MismatchSectors} ({result.CheckedSectors} sectors per member)");
        return 0;
    }

    public static int Add(RaidCommandArgs args, TextWriter output)
    {
        string path = args.Device ?? throw new RaidCommandException("give the device to add with --device PATH");
        RaidCommandArgs rest = args with { Members = [.. args.Members.Where(m => m != path)] };
        using RaidArray array = Assemble(rest, writable: true, output);
        IBlockDevice device;
        if (File.Exists(path) || path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            device = ImageFileDevice.Open(path, writable: true);
        }
        else
        {
            long size = args.Size is null
                ? ((long)array.Members[0].Superblock.DataOffset + array.Geometry.MemberSectors) * 512
                : SizeParser.TryParse(args.Size) ?? throw new RaidCommandException($"--size '{args.Size}' is not a size");
            device = ImageFileDevice.Create(path, size);
        }

        RaidMember member;
        try
        {
            member = array.Add(device);
        }
        catch
        {
            device.Dispose();
            throw;
        }

        array.Close();
        output.WriteLine(member.State == MemberState.Spare
            ? $"added {path} as a hot spare"
            : member.BitmapRecovery
                ? $"re-added {path} as role {member.Slot}; 'raid rebuild' resyncs only the chunks the bitmap marks as written since it left"
                : $"added {path} as role {member.Slot}; run 'raid rebuild' to fill it");
        return 0;
    }

    public static int Fail(RaidCommandArgs args, TextWriter output)
    {
        string path = args.Device ?? throw new RaidCommandException("give the member to fail with --device PATH");
        using RaidArray array = Assemble(args, writable: true, output);
        RaidMember member = FindMember(array, path);
        if (member.State == MemberState.Faulty)
        {
            output.WriteLine($"{path} is already faulty");
            return 0;
        }

        array.Fail(member, "failed by command");
        array.Close();
        output.WriteLine($"{path}: marked faulty; state {array.StateText}");
        foreach (string line in array.Log.Skip(1))
        {
            output.WriteLine(line);
        }

        return 0;
    }

    public static int Remove(RaidCommandArgs args, TextWriter output)
    {
        string path = args.Device ?? throw new RaidCommandException("give the member to remove with --device PATH");
        using RaidArray array = Assemble(args, writable: true, output);
        RaidMember member = FindMember(array, path);
        if (member.State is not (MemberState.Faulty or MemberState.Spare))
        {
            throw new RaidCommandException($"{path} is an active member (role {member.Slot}); fail it first with 'raid fail --device {path}'");
        }

        array.Remove(member);
        array.Close();
        output.WriteLine($"{path}: removed from array {array.Uuid}");
        return 0;
    }

    private static RaidMember FindMember(RaidArray array, string path) =>
        array.Members.FirstOrDefault(m => m.Device.Name == path)
        ?? throw new RaidCommandException($"{path}: not a member of array {array.Uuid} (give it among the member paths)");

    // Like md, an array that was not stopped cleanly is resynced when it starts (only the dirty bitmap
    // chunks when it has a bitmap); read and detail leave it as found.
    private static RaidArray Assemble(RaidCommandArgs args, bool writable, TextWriter output, bool resync = true)
    {
        RequireMembers(args, 1);
        var devices = new List<IBlockDevice?>();
        try
        {
            foreach (string path in args.Members)
            {
                devices.Add(path == Missing ? null : OpenExisting(path, writable));
            }

            AssembleResult result = ArrayAssembler.Assemble(devices, TimeProvider.System, args.Force);
            if (result.Array is null)
            {
                throw new RaidCommandException(string.Join(Environment.NewLine, result.Errors));
            }

            RaidArray array = result.Array;
            devices.Clear();
            foreach (string warning in result.Warnings)
            {
                output.WriteLine($"warning: {warning}");
            }

            try
            {
                CheckExpected(args, array.Geometry);
                if (args.SpeedMinKib is not null || args.SpeedMaxKib is not null)
                {
                    array.Throttle.SetLimits(args.SpeedMinKib ?? SyncThrottle.DefaultMinKibPerSecond, args.SpeedMaxKib ?? Math.Max(args.SpeedMinKib ?? 0, SyncThrottle.DefaultMaxKibPerSecond));
                }

                if (resync && array.NeedsResync && array.DegradedCount == 0)
                {
                    long sectors = array.Resync(CancellationToken.None);
                    output.WriteLine($"resync: {sectors} sectors made consistent{(array.Bitmap is null ? " (no bitmap: the whole array)" : " (dirty bitmap chunks)")}");
                }
            }
            catch
            {
                array.Dispose();
                throw;
            }

            return array;
        }
        finally
        {
            foreach (IBlockDevice? d in devices)
            {
                d?.Dispose();
            }
        }
    }

    // --level/--layout/--chunk on an existing array are assertions: a mismatch is an error, never a conversion.
    private static void CheckExpected(RaidCommandArgs args, ArrayGeometry g)
    {
        if (args.Level is { } level && level != (int)g.Level)
        {
            throw new RaidCommandException($"the array is RAID{(int)g.Level}, not RAID{level}");
        }

        if (args.Layout is not null && LayoutNames.Parse(g.Level, args.Layout, out _) is { } layout && layout != g.Layout)
        {
            throw new RaidCommandException($"the array's layout is {LayoutNames.Describe(g.Level, g.Layout)}, not {args.Layout}");
        }

        if (args.ChunkKib is { } chunk && g.Level != RaidLevel.Raid1 && chunk * 2 != g.ChunkSectors)
        {
            throw new RaidCommandException($"the array's chunk is {g.ChunkSectors / 2}K, not {chunk}K");
        }
    }

    private static ImageFileDevice OpenExisting(string path, bool writable)
    {
        if (!File.Exists(path) && !path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            throw new RaidCommandException($"{path}: no such file");
        }

        return ImageFileDevice.Open(path, writable);
    }

    private static void RequireMembers(RaidCommandArgs args, int minimum)
    {
        if (args.Members.Count < minimum)
        {
            throw new RaidCommandException("give the member paths (use 'missing' for an absent member)");
        }
    }

    private static int ReadFull(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private static string Describe(ArrayGeometry g) => g.Level switch
    {
        RaidLevel.Raid1 => "mirror",
        RaidLevel.Raid0 => $"chunk {g.ChunkSectors / 2}K",
        _ => $"layout {LayoutNames.Describe(g.Level, g.Layout)}, chunk {g.ChunkSectors / 2}K",
    };

    private static string ArrayState(MdSuperblock sb)
    {
        char[] state = new char[sb.RaidDisks];
        Array.Fill(state, '.');
        foreach (ushort role in sb.DevRoles)
        {
            if (role < sb.RaidDisks)
            {
                state[role] = 'A';
            }
        }

        return $"{new string(state)} ('A' == active, '.' == missing)";
    }

    private static string FormatBytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes ({bytes / 1048576.0:0.00} MiB)");

    private static void Field(TextWriter output, string name, string value) => output.WriteLine($"{name,15} : {value}");

    private sealed class Progress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
