using System.Globalization;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Verify;
using UpsAgent.Shutdown.Execution;

namespace UpsAgent.Cli;

/// <summary>"upsagent media status|blank|msinfo|write|rotate": the discs, image files and directories backups go to.</summary>
public static class MediaVerb
{
    public static readonly OptionSpec StateDirectory = new(
        "--state-dir", "DIR", "where the catalog of written sessions lives (default $UPSAGENT_STATE_DIR, else /var/lib/upsagent)");

    private static readonly OptionSpec Type = new("--type", "TYPE", "blank: create a virtual disc of cd650, cd700, dvd or bd25 if TARGET does not exist");
    private static readonly OptionSpec WriteOnce = new("--write-once", null, "blank --type: the new virtual disc is write-once (CD-R), not rewritable");
    private static readonly OptionSpec Full = new("--full", null, "blank: overwrite every written block (cdrecord blank=all), not only make it look empty");
    private static readonly OptionSpec VolumeId = new("--volume-id", "LABEL", "write: label (volume id) of the session, up to 32 of A-Z 0-9 _ (default UPSAGENT)", "-V");
    private static readonly OptionSpec Medium = new("--medium", "LABEL=TARGET", "rotate: a medium of the set, in turn order; repeat for each");
    private static readonly OptionSpec DryRun = new("--dry-run", null, "rotate: say which medium would be used and why, write nothing");
    private static readonly OptionSpec Xorriso = new("--xorriso", "PATH", "xorriso program for optical drives (default /usr/bin/xorriso)");

    /// <summary>Every option of the verb, for the command line and the REPL alike.</summary>
    public static IReadOnlyList<OptionSpec> Options { get; } = [Type, WriteOnce, Full, VolumeId, Medium, DryRun, StateDirectory, Xorriso];

    public static CliVerb Create() => new(
        "media",
        "media status|blank|msinfo TARGET | media write TARGET SRC_DIR | media rotate --medium LABEL=TARGET... SRC_DIR",
        "Look at, blank and write backup media: virtual discs, directories (USB disks) and optical drives.",
        """
        TARGET is an optical drive (/dev/sr0, or stdio:FILE for xorriso's file-as-drive), an existing
        directory (one image file LABEL-YYYYMMDD-HHMMSS.iso per backup), or a virtual disc: an image file
        with a sidecar FILE.medium holding its type, capacity and closed flag.
          media status TARGET          type, state (blank, appendable, closed), label, blocks, sessions
          media blank [--full] TARGET  empty a rewritable medium; with --type, create a blank virtual disc
          media msinfo TARGET          "LAST,NEXT" as cdrecord -msinfo prints it, for mkisofs -C. A blank
                                       medium prints nothing and exits 0 (a note goes to stderr), so
                                       MSINFO=$(upsagent media msinfo T) is empty exactly when the first
                                       session must be written without -C; a closed disc is an error
          media write [-V LABEL] TARGET SRC_DIR
                                       write SRC_DIR with its manifest to a blank medium (a directory takes
                                       a new file), refusing before writing if it does not fit; then read
                                       it back like 'iso verify' and record the verdict in the catalog
          media rotate --medium UPSAGENT_A=/backup/a.iso --medium UPSAGENT_B=/backup/b.iso SRC_DIR
                                       media in turn: a blank one first, else the one written longest ago;
                                       never blanks the medium holding the newest backup that verified good
        Exit codes: 0 done (and verified good), 1 refused, failed or verified bad, 2 bad command line.
        """,
        Options,
        (args, ct) => RunAsync(args, System.Console.Out, System.Console.Error, ct));

    /// <summary>The catalog under --state-dir; reading an absent one is an empty catalog.</summary>
    public static BackupCatalog Catalog(ParsedArguments args)
    {
        string? env = Environment.GetEnvironmentVariable("UPSAGENT_STATE_DIR");
        return new BackupCatalog(args.Value(StateDirectory.Name) ?? (string.IsNullOrEmpty(env) ? "/var/lib/upsagent" : env));
    }

    /// <summary>Prints every finding and a summary, records the verdict for a catalogued session; 0 when good.</summary>
    public static int PrintVerify(string name, VerifyReport report, BackupCatalog catalog, TextWriter output)
    {
        foreach (VerifyProblem problem in report.Problems)
        {
            output.WriteLine(problem.ToString());
        }

        string against = report.ManifestSource switch
        {
            "catalog" => "the catalog's manifest",
            "disc" => "the manifest on the disc (not in this catalog)",
            _ => "no manifest",
        };
        string verdict = report.Good ? "good" : $"BAD ({report.Problems.Count} problem(s))";
        output.WriteLine(FormattableString.Invariant($"{name}: {verdict}: {report.VolumeId}, {report.BlocksRead} blocks read, {report.FilesChecked} files ({report.BytesHashed} bytes) checked against {against}"));
        if (report.CatalogSession is { } session)
        {
            catalog.MarkVerified(session, report.Good, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        return report.Good ? 0 : 1;
    }

    /// <summary>Runs a subcommand, results to <paramref name="output"/>, errors and notes to <paramref name="error"/>.</summary>
    public static Task<int> RunAsync(ParsedArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Positional.Count == 0)
        {
            throw new UsageException("media: give a subcommand (status, blank, msinfo, write, rotate)");
        }

        string command = args.Positional[0];
        List<string> words = args.Positional.Skip(1).ToList();
        try
        {
            int status = command switch
            {
                "status" => Status(args, One(words, command), output),
                "blank" => Blank(args, One(words, command), output, cancellationToken),
                "msinfo" => MsInfo(args, One(words, command), output, error),
                "write" => Write(args, words, output, cancellationToken),
                "rotate" => Rotate(args, words, output, error, cancellationToken),
                _ => throw new UsageException($"media: unknown subcommand '{command}' (status, blank, msinfo, write, rotate)"),
            };
            return Task.FromResult(status);
        }
        catch (Exception e) when (e is IsoFormatException or ManifestFormatException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"media {command}: {e.Message}");
            return Task.FromResult(1);
        }
    }

    private static string One(List<string> words, string command) =>
        words.Count == 1 ? words[0] : throw new UsageException($"media {command}: give exactly one target");

    private static IMediaTarget Open(ParsedArguments args, string target) =>
        MediaTargets.Open(target, new SystemProcessRunner(), args.Value(Xorriso.Name) ?? OpticalDrive.DefaultXorriso);

    private static int Status(ParsedArguments args, string target, TextWriter o)
    {
        MediumStatus s = Open(args, target).Status();
        o.WriteLine($"target:   {s.Target} ({s.Kind})");
        o.WriteLine($"medium:   {s.MediumType}, {(s.Rewritable ? "rewritable" : "write-once")}");
        o.WriteLine($"state:    {s.State.ToString().ToLowerInvariant()}");
        o.WriteLine($"label:    {(s.VolumeId.Length == 0 ? "-" : s.VolumeId)}");
        o.WriteLine(FormattableString.Invariant($"blocks:   {s.UsedBlocks} used, {s.FreeBlocks} free, {s.CapacityBlocks} capacity ({Size(s.UsedBlocks)} used, {Size(s.FreeBlocks)} free)"));
        foreach (MediumSession session in s.Sessions)
        {
            o.WriteLine(FormattableString.Invariant($"session {session.Number}: start {session.StartLba}, {session.Blocks} blocks, {session.VolumeId}"));
        }

        return 0;
    }

    private static int Blank(ParsedArguments args, string target, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Value(Type.Name) is { } typeName)
        {
            MediumProfile profile = MediumProfile.Find(typeName)
                ?? throw new UsageException($"media blank: unknown type '{typeName}' ({string.Join(", ", MediumProfile.All.Select(p => p.Name))})");
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                VirtualDisc.Create(target, profile, rewritable: !args.Has(WriteOnce.Name));
                output.WriteLine($"{target}: blank {profile.Description} virtual disc created{(args.Has(WriteOnce.Name) ? ", write-once" : "")}");
                return 0;
            }
        }

        IMediaTarget medium = Open(args, target);
        BlankMode mode = args.Has(Full.Name) ? BlankMode.Full : BlankMode.Fast;
        medium.Blank(mode, cancellationToken);
        output.WriteLine($"{target}: blanked ({(mode == BlankMode.Full ? "full" : "fast")})");
        return 0;
    }

    private static int MsInfo(ParsedArguments args, string target, TextWriter output, TextWriter error)
    {
        MultiSessionInfo? info = Open(args, target).MultiSessionInfo();
        if (info is null)
        {
            error.WriteLine($"{target}: blank medium, no previous session: write the first session without -C");
            return 0;
        }

        output.WriteLine(info.ToString());
        return 0;
    }

    private static int Write(ParsedArguments args, List<string> words, TextWriter output, CancellationToken cancellationToken)
    {
        if (words.Count != 2)
        {
            throw new UsageException("media write: give a target and a source directory");
        }

        string label = Label(args);
        IMediaTarget target = Open(args, words[0]);
        BackupCatalog catalog = Catalog(args);
        WrittenSession written = target.WriteSession(SourceScanner.Scan(words[1]), new IsoOptions(label, Now()), ManifestedImageFile.OpenSource, cancellationToken);
        catalog.Add(written.CatalogEntry(target.Name), written.Result.ManifestBytes);
        output.WriteLine(FormattableString.Invariant($"{written.ReadPath}: {label}: {written.Result.Plan.VolumeBlocks} blocks, {written.Result.Manifest.Entries.Count} entries written"));
        using var stream = new FileStream(written.ReadPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        return PrintVerify(written.ReadPath, IsoVerifier.Verify(stream, catalog, cancellationToken), catalog, output);
    }

    private static int Rotate(ParsedArguments args, List<string> words, TextWriter o, TextWriter error, CancellationToken cancellationToken)
    {
        if (words.Count != 1)
        {
            throw new UsageException("media rotate: give exactly one source directory");
        }

        var set = new List<(string Label, IMediaTarget Target)>();
        foreach (string medium in args.Values(Medium.Name))
        {
            int equals = medium.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == medium.Length - 1)
            {
                throw new UsageException($"media rotate: --medium '{medium}' is not LABEL=TARGET");
            }

            set.Add((CheckLabel(medium[..equals], "media rotate"), Open(args, medium[(equals + 1)..])));
        }

        if (set.Count == 0)
        {
            throw new UsageException("media rotate: give the media of the set with --medium LABEL=TARGET");
        }

        BackupCatalog catalog = Catalog(args);
        bool dryRun = args.Has(DryRun.Name);
        RotationOutcome outcome = new RotationRun(catalog).Run(set, SourceScanner.Scan(words[0]), Now(), ManifestedImageFile.OpenSource, dryRun, cancellationToken);
        RotationDecision d = outcome.Decision;
        if (d.Action == RotationAction.Refuse)
        {
            error.WriteLine($"media rotate: refused: {d.Reason}");
            return 1;
        }

        string action = d.Action == RotationAction.Write ? "write" : "blank and write";
        o.WriteLine($"{(dryRun ? "would " : "")}{action} {d.Label}: {d.Reason}");
        if (outcome.Verify is null || outcome.Written is null)
        {
            return 0;
        }

        foreach (VerifyProblem problem in outcome.Verify.Problems)
        {
            o.WriteLine(problem.ToString());
        }

        o.WriteLine(FormattableString.Invariant($"{outcome.Written.ReadPath}: {d.Label}: {outcome.Written.Result.Plan.VolumeBlocks} blocks written, verified {(outcome.Verify.Good ? "good" : "BAD")}"));
        return outcome.Verify.Good ? 0 : 1;
    }

    private static string Label(ParsedArguments args) => CheckLabel(args.Value(VolumeId.Name) ?? "UPSAGENT", "media write");

    private static string CheckLabel(string label, string command) =>
        label.Length is > 0 and <= 32 && label.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')
            ? label
            : throw new UsageException($"{command}: label '{label}' must be 1 to 32 of A-Z 0-9 _");

    private static long Now() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out long epoch)
            ? epoch
            : DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Size(long blocks)
    {
        double bytes = blocks * 2048.0;
        return bytes >= 1e9 ? FormattableString.Invariant($"{bytes / 1e9:0.0} GB") : FormattableString.Invariant($"{bytes / 1e6:0.0} MB");
    }
}
