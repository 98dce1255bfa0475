using System.Diagnostics;
using System.Globalization;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Sessions;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Cli;

/// <summary>"upsagent iso build|append|sessions|ls|extract": ISO 9660 + Rock Ridge + Joliet images, like mkisofs -R -J, grown like xorriso.</summary>
public static class IsoVerb
{
    private static readonly OptionSpec Output = new("--output", "OUT.iso", "image file to write (build)", "-o");
    private static readonly OptionSpec VolumeId = new("--volume-id", "ID", "volume identifier, up to 32 d-characters (default UPSAGENT)", "-V");
    private static readonly OptionSpec Session = new("--session", "N", "read session N (1 = oldest) instead of the newest (ls, extract, verify)");
    private static readonly OptionSpec AllSessions = new("--all-sessions", null, "verify: every session, oldest first");
    private static readonly OptionSpec Capacity = new("--capacity", "SIZE", "medium size in bytes, K/M/G suffix allowed: refuse an append that would not fit (append)");
    private static readonly OptionSpec Reuse = new("--reuse", "RULE", "keep unchanged files' data from the newest session: times (default), contents, never (append)");
    private static readonly OptionSpec WithManifest = new("--manifest", null, "build, append: store a manifest (SHA-256 per file) in the image and record the session in the catalog");

    /// <summary>Every option of the verb, for the command line and the REPL alike.</summary>
    public static IReadOnlyList<OptionSpec> Options { get; } = [Output, VolumeId, Session, AllSessions, Capacity, Reuse, WithManifest, MediaVerb.StateDirectory];

    public static CliVerb Create() => new(
        "iso",
        "iso build -o OUT.iso SRC_DIR | iso append IMAGE SRC_DIR | iso sessions IMAGE | iso ls [--session N] IMAGE | iso extract [--session N] IMAGE DEST_DIR | iso verify [--session N | --all-sessions] IMAGE",
        "Write and read ISO 9660 images with Rock Ridge and Joliet.",
        """
        build keeps modes, owners, times, symlinks, device nodes and long names exactly in Rock Ridge
        (like mkisofs -R, not -r), and adds a Joliet tree for Windows. The same tree and the same
        SOURCE_DATE_EPOCH give the same image bytes.
          iso build -o OUT.iso [-V LABEL] SRC_DIR
          iso append [-V LABEL] [--capacity SIZE] [--reuse RULE] [--manifest] IMAGE SRC_DIR
                                       adds a session holding SRC_DIR as it is now (created if missing):
                                       deleted files disappear, unchanged files keep their old data
                                       (same size, mtime and ctime), only new data is written; every
                                       reader sees the newest session, xorriso -toc lists them all
          iso sessions IMAGE           start, size, label and time of every session; next writable block
          iso ls [--session N] IMAGE   mode, links, uid, gid, size, time and path of every entry
          iso extract [--session N] IMAGE DEST_DIR
                                       restores data, modes, times, symlinks (owners when run as root)
          iso build --manifest ...     also stores /.upsagent-manifest (type, mode, owner, size, mtime and
                                       SHA-256 of every entry) and records the session in the catalog
                                       under --state-dir
          iso append --manifest ...    stores the new session's manifest in it (reused files keep the
                                       previous session's hashes); not recorded in the catalog
          iso verify [--session N | --all-sessions] IMAGE
                                       reads every block, then checks every file against the catalog's
                                       manifest (else the disc's own) and prints each difference:
                                       UNREADABLE, METADATA, STRUCTURE, MANIFEST, CHANGED, ATTRIBUTES,
                                       MISSING, UNEXPECTED, JOLIET; exit 0 only when nothing differs
        An append that is interrupted leaves the image as it was: the session is committed by its last write.
        Exit codes: 0 done, 1 with a message naming the image and the problem, 2 for a bad command line.
        """,
        Options,
        (args, ct) => RunAsync(args, System.Console.Out, System.Console.Error, ct));

    /// <summary>Runs a subcommand, results to <paramref name="output"/>, errors and progress to <paramref name="error"/>.</summary>
    public static Task<int> RunAsync(ParsedArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Positional.Count == 0)
        {
            throw new UsageException("iso: give a subcommand (build, append, sessions, ls, extract, verify)");
        }

        string command = args.Positional[0];
        List<string> words = args.Positional.Skip(1).ToList();
        try
        {
            int status = command switch
            {
                "build" => Build(args, words, output, cancellationToken),
                "append" => Append(args, words, output, error, cancellationToken),
                "sessions" => Sessions(words, output),
                "ls" => List(args, words, output),
                "extract" => Extract(args, words, output, error, cancellationToken),
                "verify" => Verify(args, words, output, cancellationToken),
                _ => throw new UsageException($"iso: unknown subcommand '{command}' (build, append, sessions, ls, extract, verify)"),
            };
            return Task.FromResult(status);
        }
        catch (Exception e) when (e is IsoFormatException or SessionException or ManifestFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"iso {command}: {e.Message}");
            return Task.FromResult(1);
        }
    }

    private static int Build(ParsedArguments args, List<string> words, TextWriter output, CancellationToken cancellationToken)
    {
        string image = args.Value(Output.Name) ?? throw new UsageException("iso build: give the image to write with -o OUT.iso");
        if (words.Count != 1)
        {
            throw new UsageException("iso build: give exactly one source directory");
        }

        string volumeId = VolumeIdOf(args, "build");
        long time = long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out long epoch)
            ? epoch
            : DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        IsoPlan plan = args.Has(WithManifest.Name)
            ? ManifestedImageFile.Build(words[0], image, new IsoOptions(volumeId, time), MediaVerb.Catalog(args), cancellationToken).Plan
            : IsoImageFile.Build(words[0], image, new IsoOptions(volumeId, time), cancellationToken);
        output.WriteLine($"{image}: {plan.VolumeBlocks} blocks ({(long)plan.VolumeBlocks * IsoFields.BlockBytes} bytes), {plan.Files.Count} files, {plan.PrimaryDirectories.Count} directories");
        return 0;
    }

    private static string VolumeIdOf(ParsedArguments args, string command)
    {
        string volumeId = args.Value(VolumeId.Name) ?? "UPSAGENT";
        if (volumeId.Length > 32 || volumeId.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')))
        {
            throw new UsageException($"iso {command}: volume id '{volumeId}' must be up to 32 of A-Z 0-9 _");
        }

        return volumeId;
    }

    private static int Append(ParsedArguments args, List<string> words, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (words.Count != 2)
        {
            throw new UsageException("iso append: give an image and a source directory");
        }

        ReuseRule reuse = args.Value(Reuse.Name) switch
        {
            null or "times" => ReuseRule.SizeAndTimes,
            "contents" => ReuseRule.Contents,
            "never" => ReuseRule.Never,
            string other => throw new UsageException($"iso append: --reuse '{other}' is not one of times, contents, never"),
        };
        var progress = new ProgressLine("iso append", error);
        var options = new AppendOptions
        {
            VolumeId = VolumeIdOf(args, "append"),
            CapacityBlocks = args.Value(Capacity.Name) is { } size ? CapacityBlocks(size) : null,
            Reuse = reuse,
            WriteManifest = args.Has(WithManifest.Name),
            OnProgress = progress.Report,
        };
        AppendResult result = SessionAppender.Append(words[0], words[1], options, cancellationToken);
        progress.Done();
        if (result.CatalogEntry(Path.GetFullPath(words[0])) is { } entry)
        {
            // As 'iso build --manifest': the host keeps the manifest and the metadata digest, so verify
            // can tell a changed disc from a changed catalog.
            MediaVerb.Catalog(args).Add(entry, result.ManifestBytes!);
        }

        IsoSession s = result.Session;
        output.WriteLine(FormattableString.Invariant(
            $"{words[0]}: session {s.Number} at block {s.StartLba}, {s.SizeBlocks} blocks; {result.FilesWritten} files written ({result.BytesWritten} bytes), {result.FilesReused} unchanged files kept ({result.BytesReused} bytes); image ends at block {s.EndLba}"));
        return 0;
    }

    private static int Verify(ParsedArguments args, List<string> words, TextWriter output, CancellationToken cancellationToken)
    {
        if (words.Count != 1)
        {
            throw new UsageException("iso verify: give exactly one image");
        }

        BackupCatalog catalog = MediaVerb.Catalog(args);
        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (args.Has(AllSessions.Name) && args.Value(Session.Name) is not null)
        {
            throw new UsageException("iso verify: give --session N or --all-sessions, not both");
        }

        if (!args.Has(AllSessions.Name) && args.Value(Session.Name) is null)
        {
            return MediaVerb.PrintVerify(words[0], IsoVerifier.Verify(stream, catalog, cancellationToken), catalog, output);
        }

        SessionTable table = SessionTable.Read(stream);
        IEnumerable<int> numbers = args.Has(AllSessions.Name) ? Enumerable.Range(1, table.Sessions.Count) : [SessionNumber(args, "verify")];
        int status = 0;
        foreach (int number in numbers)
        {
            uint start = table.Open(stream, number).SessionStartLba;
            VerifyReport report = IsoVerifier.Verify(stream, start, catalog, cancellationToken);
            status = Math.Max(status, MediaVerb.PrintVerify(FormattableString.Invariant($"{words[0]} session {number}"), report, catalog, output));
        }

        return status;
    }

    private static uint CapacityBlocks(string text)
    {
        long multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        string digits = multiplier == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value <= 0
            || value > long.MaxValue / multiplier || value * multiplier / IsoFields.BlockBytes > uint.MaxValue)
        {
            throw new UsageException($"iso append: --capacity '{text}' is not a size in bytes up to 8 TiB (K, M, G suffixes allowed)");
        }

        return (uint)(value * multiplier / IsoFields.BlockBytes);
    }

    private static int Sessions(List<string> words, TextWriter output)
    {
        if (words.Count != 1)
        {
            throw new UsageException("iso sessions: give exactly one image");
        }

        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read);
        SessionTable table = SessionTable.Read(stream);
        if (table.IsBlank)
        {
            output.WriteLine($"{words[0]}: blank, next writable block {table.NextWritableLba}");
            return 0;
        }

        foreach (IsoSession s in table.Sessions)
        {
            string time = IsoFields.FromUnix(s.RecordingTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            output.WriteLine(FormattableString.Invariant($"session {s.Number,3}  start {s.StartLba,10}  blocks {s.SizeBlocks,10}  {time}  {s.VolumeId}"));
        }

        string layout = table.Layout == SessionLayout.Grown ? "" : " (single session at block 0: 'iso append' refuses it)";
        output.WriteLine(FormattableString.Invariant($"image ends at block {table.EndLba}, next writable block {table.NextWritableLba}, msinfo {table.MsInfo}{layout}"));
        return 0;
    }

    /// <summary>The newest session unless --session asks for another; both numbered as in 'iso sessions'.</summary>
    private static IsoImage OpenImage(ParsedArguments args, Stream stream, string command)
    {
        if (args.Value(Session.Name) is null)
        {
            return IsoImage.Open(stream);
        }

        return SessionTable.Read(stream).Open(stream, SessionNumber(args, command));
    }

    private static int SessionNumber(ParsedArguments args, string command)
    {
        string text = args.Value(Session.Name) ?? throw new UsageException($"iso {command}: give --session N");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
        {
            throw new UsageException($"iso {command}: --session '{text}' is not a session number (1 or more)");
        }

        return number;
    }

    private static int List(ParsedArguments args, List<string> words, TextWriter output)
    {
        if (words.Count != 1)
        {
            throw new UsageException("iso ls: give exactly one image");
        }

        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read);
        IsoImage image = OpenImage(args, stream, "ls");
        foreach ((string path, IsoEntry entry) in image.Walk())
        {
            string time = IsoFields.FromUnix(entry.ModifyTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            string link = entry.SymlinkTarget is null ? "" : $" -> {entry.SymlinkTarget}";
            output.WriteLine(FormattableString.Invariant($"{ModeText(entry.Mode)} {entry.Links,3} {entry.Uid,5} {entry.Gid,5} {entry.SizeBytes,12} {time} {path}{link}"));
        }

        return 0;
    }

    private static int Extract(ParsedArguments args, List<string> words, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (words.Count != 2)
        {
            throw new UsageException("iso extract: give an image and a destination directory");
        }

        using var stream = new FileStream(words[0], FileMode.Open, FileAccess.Read);
        IsoImage image = OpenImage(args, stream, "extract");
        var progress = new ProgressLine("iso extract", error);
        long total = image.Walk().Where(p => p.Entry.Kind == SourceKind.File).Sum(p => p.Entry.SizeBytes);
        int count = IsoExtractor.Extract(image, words[1], Environment.IsPrivilegedProcess, done => progress.Report(done, total), cancellationToken);
        progress.Done();
        output.WriteLine($"{words[1]}: {count} entries extracted");
        return 0;
    }

    /// <summary>Progress of long copies on stderr, at most once a second and only after the first second.</summary>
    private sealed class ProgressLine(string what, TextWriter error)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _next = TimeSpan.FromSeconds(1);
        private bool _shown;

        public void Report(long done, long total)
        {
            if (_clock.Elapsed < _next)
            {
                return;
            }

            _next = _clock.Elapsed + TimeSpan.FromSeconds(1);
            _shown = true;
            long percent = total > 0 ? done * 100 / total : 100;
            error.WriteLine(FormattableString.Invariant($"{what}: {done >> 20} of {total >> 20} MiB ({percent} %)"));
        }

        public void Done()
        {
            if (_shown)
            {
                error.WriteLine($"{what}: done in {_clock.Elapsed.TotalSeconds:F1} s");
            }
        }
    }

    private static string ModeText(uint mode)
    {
        char type = (mode & 0xF000) switch
        {
            0x4000 => 'd',
            0xA000 => 'l',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            0xC000 => 's',
            _ => '-',
        };
        const string Letters = "rwxrwxrwx";
        var chars = new char[10];
        chars[0] = type;
        for (int i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1u << (8 - i))) != 0 ? Letters[i] : '-';
        }

        return new string(chars);
    }
}
