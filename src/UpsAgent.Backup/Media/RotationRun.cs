using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Media;

/// <summary>
/// Carries out <see cref="RotationPlanner"/>'s choice: surveys each medium (its status and the catalog's
/// newest session of its label), decides, checks that the target really holds that label or is blank
/// (xorriso's -assert_volid), blanks if needed, writes the session with its manifest, reads it back and
/// records the verdict in the catalog. Only a good read-back makes the new session "the newest good backup".
/// </summary>
public sealed class RotationRun(BackupCatalog catalog)
{
    public IReadOnlyList<RotationMedium> Survey(IReadOnlyList<(string Label, IMediaTarget Target)> set)
    {
        IReadOnlyList<CatalogSession> sessions = catalog.Sessions();
        var media = new List<RotationMedium>();
        foreach ((string label, IMediaTarget target) in set)
        {
            CatalogSession? newest = sessions.Where(s => s.VolumeId == label).MaxBy(s => s.CreatedTime);
            MediumStatus status = target.Status();
            MediumState state = status.State;
            if (state != MediumState.Blank && status.VolumeId != label)
            {
                // The target holds another medium of the set (one drive, discs swapped by hand): go by the catalog.
                state = newest is null ? MediumState.Blank : MediumState.Appendable;
            }

            long good = newest is { State: VerifyState.Good } ? newest.CreatedTime : 0;
            media.Add(new RotationMedium(label, state, status.Rewritable, newest?.CreatedTime ?? 0, good));
        }

        return media;
    }

    public RotationOutcome Run(
        IReadOnlyList<(string Label, IMediaTarget Target)> set, SourceNode root, long recordingTime, Func<SourceNode, Stream> openFile, bool dryRun, CancellationToken cancellationToken = default)
    {
        RotationDecision decision = RotationPlanner.Next(Survey(set));
        if (decision.Action == RotationAction.Refuse || dryRun)
        {
            return new RotationOutcome(decision, null, null, null);
        }

        string label = decision.Label!;
        IMediaTarget target = set.Single(m => m.Label == label).Target;
        MediumStatus status = target.Status();
        if (status.State != MediumState.Blank && status.VolumeId != label)
        {
            return new RotationOutcome(
                decision with { Action = RotationAction.Refuse, Reason = $"{target.Name} holds '{status.VolumeId}', not {label}: insert {label} or a blank medium ({decision.Reason})" },
                null, null, null);
        }

        if (status.State != MediumState.Blank)
        {
            target.Blank(BlankMode.Fast, cancellationToken);
        }

        WrittenSession written = target.WriteSession(root, new IsoOptions(label, recordingTime), openFile, cancellationToken);
        CatalogSession entry = written.CatalogEntry(target.Name);
        catalog.Add(entry, written.Result.ManifestBytes);
        VerifyReport report;
        using (var stream = new FileStream(written.ReadPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
        {
            report = IsoVerifier.Verify(stream, catalog, cancellationToken);
        }

        entry = catalog.MarkVerified(entry, report.Good, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return new RotationOutcome(decision, written, report, entry);
    }
}
