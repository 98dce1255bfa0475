using System.Diagnostics;
using System.Globalization;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Sessions;
using UpsAgent.Backup.Verify;
using UpsAgent.Core.Processes;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// One run of a job, the seed's nightly script done in one place: dump the databases, snapshot the sources,
/// write a session (appended to the image, or to the next medium of the rotation set), read it back. A dump
/// that fails stops the run before anything is written, so no session ever claims a backup it lacks.
/// </summary>
public sealed class BackupJobRunner(IProcessRunner processes, string xorrisoPath = OpticalDrive.DefaultXorriso)
{
    public async Task<JobResult> RunAsync(BackupJob job, long startedTime, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string work = Path.Combine(Path.GetFullPath(job.StateDirectory), "jobs", job.Name + ".work");
        long dumpBytes = 0;
        try
        {
            if (Directory.Exists(work))
            {
                // Left by a run that was killed: its dumps are stale.
                Directory.Delete(work, recursive: true);
            }

            string tree = Path.Combine(work, "tree");
            Directory.CreateDirectory(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(tree, (UnixFileMode)0b111_101_101);
            if (job.Databases.Count > 0)
            {
                // The dumps are the database's contents: the directory is 0700 and each file 0600, kept so on the disc.
                string dumps = Path.Combine(tree, "pg_dump");
                Directory.CreateDirectory(dumps, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                foreach (string database in job.Databases)
                {
                    dumpBytes += await PgDump.DumpAsync(job, database, Path.Combine(dumps, database + ".sql"), cancellationToken).ConfigureAwait(false);
                }
            }

            SourceNode root = JobTree.Build(tree, job.Sources);
            JobResult written = await Task.Run(
                () => job.ImagePath is not null ? WriteImage(job, root, startedTime, cancellationToken) : WriteRotation(job, root, startedTime, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return written with { DumpBytes = dumpBytes, DurationSeconds = clock.Elapsed.TotalSeconds };
        }
        catch (Exception e) when (e is JobFailedException or IOException or UnauthorizedAccessException or IsoFormatException or SessionException or ManifestFormatException)
        {
            return new JobResult(job.Name, false, startedTime, clock.Elapsed.TotalSeconds, e.Message) { DumpBytes = dumpBytes };
        }
        catch (OperationCanceledException)
        {
            return new JobResult(job.Name, false, startedTime, clock.Elapsed.TotalSeconds, "cancelled") { DumpBytes = dumpBytes };
        }
        finally
        {
            try
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
            catch (IOException)
            {
                // The next run removes it.
            }
        }
    }

    private static JobResult WriteImage(BackupJob job, SourceNode root, long startedTime, CancellationToken cancellationToken)
    {
        string path = Path.GetFullPath(job.ImagePath!);
        bool created = !File.Exists(path);
        var catalog = new BackupCatalog(job.StateDirectory);
        AppendResult result;
        uint capacity = job.Capacity.Blocks(path);
        try
        {
            try
            {
                // FileShare.None: a manual 'iso append' on the same image waits for another night, it never interleaves.
                using var image = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                var options = new AppendOptions { VolumeId = job.VolumeId, SnapshotTime = startedTime, WriteManifest = job.Manifest, CapacityBlocks = capacity };
                result = SessionAppender.Append(image, root, options, cancellationToken);
            }
            catch when (created)
            {
                File.Delete(path);
                throw;
            }
        }
        catch (SessionException e) when (e.Message.StartsWith("medium full", StringComparison.Ordinal))
        {
            // Refused before any write: the image (or its absence) is as it was.
            throw new JobFailedException($"{path}: {e.Message} (capacity = {job.Capacity})");
        }

        if (result.CatalogEntry(path) is { } entry)
        {
            catalog.Add(entry, result.ManifestBytes!);
        }

        IsoSession s = result.Session;
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{path}: session {s.Number} at block {s.StartLba}, {s.SizeBlocks} blocks; {result.FilesWritten} files written ({result.BytesWritten} bytes), {result.FilesReused} unchanged kept ({result.BytesReused} bytes)");
        bool good = true;
        if (job.Verify)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            VerifyReport report = IsoVerifier.Verify(stream, s.StartLba, job.Manifest ? catalog : null, cancellationToken);
            if (report.CatalogSession is { } session)
            {
                catalog.MarkVerified(session, report.Good, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            }

            good = report.Problems.Count == 0;
            message += good
                ? string.Create(CultureInfo.InvariantCulture, $"; verified: {report.BlocksRead} blocks read, {report.FilesChecked} files checked")
                : $"; verify found {report.Problems.Count} problem(s): {string.Join("; ", report.Problems.Take(5))}";
        }

        return new JobResult(job.Name, good, startedTime, 0, message)
        {
            SessionBytes = (long)s.SizeBlocks * IsoFields.BlockBytes,
            NewBytes = result.BytesWritten,
        };
    }

    private JobResult WriteRotation(BackupJob job, SourceNode root, long startedTime, CancellationToken cancellationToken)
    {
        var set = job.Rotation.Select(r => (r.Label, MediaTargets.Open(r.Target, processes, xorrisoPath))).ToList();
        RotationOutcome outcome = new RotationRun(new BackupCatalog(job.StateDirectory))
            .Run(set, root, startedTime, ManifestedImageFile.OpenSource, dryRun: false, cancellationToken);
        RotationDecision d = outcome.Decision;
        if (d.Action == RotationAction.Refuse || outcome.Written is null || outcome.Verify is null)
        {
            throw new JobFailedException($"rotation refused: {d.Reason}");
        }

        WrittenSession w = outcome.Written;
        bool good = outcome.Verify.Good;
        string action = d.Action == RotationAction.Write ? "written" : "blanked and written";
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{d.Label} {action} ({d.Reason}): {w.ReadPath}, {w.Result.Plan.VolumeBlocks} blocks, verified {(good ? "good" : $"BAD: {string.Join("; ", outcome.Verify.Problems.Take(5))}")}");
        long bytes = (long)w.Result.Plan.VolumeBlocks * IsoFields.BlockBytes;
        return new JobResult(job.Name, good, startedTime, 0, message) { SessionBytes = bytes, NewBytes = bytes };
    }
}
