using System.Globalization;
using UpsAgent.Raid.Commands;

namespace UpsAgent.Cli;

/// <summary>"upsagent raid SUBCOMMAND MEMBERS...": one-shot md-format array commands on member paths.</summary>
public static class RaidVerb
{
    private static readonly OptionSpec Level = new("--level", "N", "RAID level for create: 0, 1, 4, 5, 6 or 10 (elsewhere: refuse an array of another level)");
    private static readonly OptionSpec Chunk = new("--chunk", "KIB", "chunk size in KiB (default 512)");
    private static readonly OptionSpec Layout = new("--layout", "NAME", "left-symmetric (default), right-symmetric, left-asymmetric, right-asymmetric, parity-first, parity-last; RAID10 n2, f2, o2");
    private static readonly OptionSpec Size = new("--size", "SIZE", "create missing image files of this size, e.g. 64M");
    private static readonly OptionSpec Offset = new("--offset", "BYTES", "array byte offset for read and write (default 0)");
    private static readonly OptionSpec Length = new("--length", "BYTES", "bytes to read (default: to the end of the array)");
    private static readonly OptionSpec Device = new("--device", "PATH", "the member that add, fail or remove acts on");
    private static readonly OptionSpec Name = new("--name", "NAME", "array name stored in the superblock (default HOST:0)");
    private static readonly OptionSpec Force = new("--force", null, "create over existing members; start a dirty degraded array");
    private static readonly OptionSpec AssumeClean = new("--assume-clean", null, "create without the initial parity sync");
    private static readonly OptionSpec Bitmap = new("--bitmap", null, "create with an internal write-intent bitmap: after a crash only dirty regions are resynced");
    private static readonly OptionSpec BitmapChunk = new("--bitmap-chunk", "KIB", "bitmap chunk in KiB (default 65536, doubled until the bits fit)");
    private static readonly OptionSpec SpeedMin = new("--speed-min", "KIB", "rebuild/resync/check speed under foreground load, KiB/s (md's speed_limit_min, default 1000)");
    private static readonly OptionSpec SpeedMax = new("--speed-max", "KIB", "rebuild/resync/check speed limit, KiB/s (md's speed_limit_max, default 200000)");
    private static readonly OptionSpec Sync = new("--sync", null, "write: flush after each block of input and print 'synced N bytes'");

    public static CliVerb Create() => new(
        "raid",
        "raid create|examine|detail|write|read|rebuild|check|repair|add|fail|remove [OPTIONS] MEMBER...",
        "Create and run md-format RAID arrays (levels 0, 1, 4, 5, 6, 10) on image files or devices.",
        """
        Members are given in role order; 'missing' stands for an absent member, as in mdadm. The
        members carry Linux md v1.2 superblocks, so 'mdadm --examine' reads them and the kernel can
        assemble them.
          raid create --level 5 [--chunk KIB] [--layout NAME] [--size 64M] [--bitmap] A.img B.img C.img
          raid examine A.img            superblock of each member
          raid detail A.img B.img C.img array state, members, events
          raid write [--offset BYTES] [--sync] MEMBERS < data
          raid read [--offset BYTES] [--length BYTES] MEMBERS > data
          raid rebuild|check|repair [--speed-min KIB] [--speed-max KIB] MEMBERS
        An array that was not stopped cleanly is resynced when a command starts it (only the dirty
        bitmap chunks if it has a bitmap); read and detail leave it as found.
          raid add|fail|remove --device PATH MEMBERS
        Exit codes: 0 done, 1 with a message naming the file and the problem, 2 for a bad command line.
        """,
        [Level, Chunk, Layout, Size, Offset, Length, Device, Name, Force, AssumeClean, Bitmap, BitmapChunk, SpeedMin, SpeedMax, Sync],
        RunAsync);

    private static Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count == 0)
        {
            throw new UsageException($"raid: give a subcommand ({string.Join(", ", RaidCommands.Names)})");
        }

        string command = args.Positional[0];
        if (!RaidCommands.Names.Contains(command))
        {
            throw new UsageException($"raid: unknown subcommand '{command}' ({string.Join(", ", RaidCommands.Names)})");
        }

        var raidArgs = new RaidCommandArgs
        {
            Members = args.Positional.Skip(1).ToArray(),
            Level = Number(args, Level),
            ChunkKib = Number(args, Chunk),
            Layout = args.Value(Layout.Name),
            Size = args.Value(Size.Name),
            Offset = Bytes(args, Offset) ?? 0,
            Length = Bytes(args, Length),
            Device = args.Value(Device.Name),
            Name = args.Value(Name.Name),
            Force = args.Has(Force.Name),
            AssumeClean = args.Has(AssumeClean.Name),
            Bitmap = args.Has(Bitmap.Name),
            BitmapChunkKib = Number(args, BitmapChunk),
            SpeedMinKib = Number(args, SpeedMin),
            SpeedMaxKib = Number(args, SpeedMax),
            Sync = args.Has(Sync.Name),
        };
        using Stream stdin = System.Console.OpenStandardInput();
        using Stream stdout = System.Console.OpenStandardOutput();
        int status = RaidCommands.Run(command, raidArgs, System.Console.Out, System.Console.Error, stdin, stdout, cancellationToken);
        return Task.FromResult(status);
    }

    private static int? Number(ParsedArguments args, OptionSpec option)
    {
        string? text = args.Value(option.Name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException($"raid: {option.Name} '{text}' is not a number");
    }

    private static long? Bytes(ParsedArguments args, OptionSpec option)
    {
        string? text = args.Value(option.Name);
        if (text is null)
        {
            return null;
        }

        return SizeParser.TryParse(text) ?? throw new UsageException($"raid: {option.Name} '{text}' is not a byte count");
    }
}
