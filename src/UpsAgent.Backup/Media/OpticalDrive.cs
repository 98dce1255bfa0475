using System.Collections.Immutable;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Core.Processes;

namespace UpsAgent.Backup.Media;

/// <summary>
/// A CD/DVD/BD writer driven through xorriso (libburn), started through <see cref="IProcessRunner"/>:
/// "-toc" for the status, "-blank fast|all", and "-as cdrecord -multi" to burn a session image built in a
/// temporary file. A drive address "stdio:/path" makes xorriso treat a file as a drive, which is how the
/// interop tests run this class against the real tool without hardware.
/// </summary>
public sealed class OpticalDrive(string drive, IProcessRunner processes, string xorrisoPath = OpticalDrive.DefaultXorriso, string? workDirectory = null) : IMediaTarget
{
    public const string DefaultXorriso = "/usr/bin/xorriso";

    private static readonly TimeSpan QueryLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan BurnLimit = TimeSpan.FromHours(3);

    public string Name => drive;

    /// <summary>Where the written medium can be read back: the device node, or the file behind "stdio:".</summary>
    public string ReadPath => drive.StartsWith("stdio:", StringComparison.Ordinal) ? drive["stdio:".Length..] : drive;

    public XorrisoToc Toc() => XorrisoToc.Parse(Run(QueryLimit, CancellationToken.None, "-outdev", drive, "-toc"), drive);

    public MediumStatus Status()
    {
        XorrisoToc toc = Toc();
        long used = toc.State == MediumState.Blank ? 0 : toc.Sessions.Count > 0 ? toc.Sessions.Max(s => s.StartLba + s.Blocks) : toc.ReadableBlocks;
        return new MediumStatus(
            drive, "optical drive", toc.MediaType, toc.State, toc.Rewritable, toc.OverallBlocks, used,
            toc.State == MediumState.Closed ? 0 : toc.WritableBlocks, toc.Sessions.Count > 0 ? toc.Sessions[^1].VolumeId : "", toc.Sessions);
    }

    public void Blank(BlankMode mode, CancellationToken cancellationToken = default)
    {
        XorrisoToc toc = Toc();
        if (!toc.Rewritable && toc.State != MediumState.Blank)
        {
            throw new MediumException($"{drive}: {toc.MediaType} is write-once and cannot be blanked");
        }

        Run(BurnLimit, cancellationToken, "-outdev", drive, "-blank", mode == BlankMode.Full ? "all" : "fast");
    }

    public MultiSessionInfo? MultiSessionInfo()
    {
        XorrisoToc toc = Toc();
        if (toc.State == MediumState.Blank)
        {
            return null;
        }

        if (toc.State == MediumState.Closed || toc.NextWritableLba is not { } nwa)
        {
            throw new MediumException($"{drive}: the {toc.MediaType} is closed; no further session can be written");
        }

        // Overwritable media keep the newest tree at block 16 (xorriso -as cdrecord --grow_overwriteable_iso
        // prints 0 there); sequential media name the last session's own start.
        long last = toc.Overwritable || toc.Sessions.Count == 0 ? 0 : toc.Sessions[^1].StartLba;
        return new MultiSessionInfo(last, nwa);
    }

    public WrittenSession WriteSession(SourceNode root, IsoOptions options, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default)
    {
        XorrisoToc toc = Toc();
        if (toc.State != MediumState.Blank)
        {
            throw new MediumException($"{drive}: the {toc.MediaType} holds {toc.Sessions.Count} session(s); blank it first to write a new first session");
        }

        string temp = Path.Combine(workDirectory ?? Path.GetTempPath(), $"upsagent-burn-{Guid.NewGuid():N}.iso");
        try
        {
            ManifestedImageResult result;
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = ManifestedImage.Write(root, options, output, openFile, cancellationToken, plan =>
                {
                    if (plan.VolumeBlocks > toc.WritableBlocks)
                    {
                        throw new MediumException($"{drive}: medium full: the session needs {plan.VolumeBlocks} blocks, the {toc.MediaType} has {toc.WritableBlocks} writable");
                    }
                });
            }

            // -multi leaves a sequential disc appendable, as the seed's "cdrecord -multi" did.
            Run(BurnLimit, cancellationToken, "-as", "cdrecord", "-v", $"dev={drive}", "-multi", temp);
            return new WrittenSession(ReadPath, 0, result);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string Run(TimeSpan limit, CancellationToken cancellationToken, params string[] arguments)
    {
        var spec = new ProcessSpec(xorrisoPath, [.. arguments]) { Environment = ImmutableDictionary<string, string>.Empty.Add("LC_ALL", "C") };
        ProcessResult result = processes.RunAsync(spec, limit, cancellationToken).GetAwaiter().GetResult();
        if (result.TimedOut)
        {
            throw new MediumException($"{drive}: {spec} did not finish within {limit.TotalMinutes:0} minutes");
        }

        if (result.ExitCode == 127)
        {
            throw new MediumException($"{drive}: cannot start {xorrisoPath} (Debian package xorriso)");
        }

        if (result.ExitCode != 0)
        {
            throw new MediumException($"{drive}: xorriso {string.Join(' ', arguments)} failed with exit code {result.ExitCode}: {XorrisoToc.Tail(result.Output)}");
        }

        return result.Output;
    }
}
