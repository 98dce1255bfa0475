using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Sessions;

/// <summary>
/// Appends a session holding a new snapshot to a grown image ("virtual disc", specs/iso.md §3.5). The new
/// tree is the snapshot alone, so deleted files disappear; unchanged files keep their old extents. Write
/// order makes an interrupted append harmless: the session's blocks after the committed end, fsync, and
/// only then the descriptor copy at block 16 (the commit), fsync. Until that last write every reader,
/// and the next append, sees the previous session.
/// </summary>
public static class SessionAppender
{
    /// <summary>Scans <paramref name="sourceDirectory"/> and appends it to the image file, creating it when missing.</summary>
    public static AppendResult Append(string imagePath, string sourceDirectory, AppendOptions options, CancellationToken cancellationToken = default)
    {
        long snapshotTime = options.SnapshotTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        SourceNode snapshot = SourceScanner.Scan(sourceDirectory);
        bool created = !File.Exists(imagePath);
        try
        {
            // FileShare.None takes an exclusive lock: two appends never interleave.
            using var image = new FileStream(imagePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            return Append(image, snapshot, options with { SnapshotTime = snapshotTime }, cancellationToken);
        }
        catch when (created)
        {
            File.Delete(imagePath);
            throw;
        }
    }

    public static AppendResult Append(Stream image, SourceNode snapshot, AppendOptions options, CancellationToken cancellationToken = default)
    {
        SessionTable table = SessionTable.Read(image);
        if (table.Layout == SessionLayout.SingleAtZero)
        {
            throw new SessionException(
                "block 48 holds no primary volume descriptor, so this is not a grown image with session 1 at block 32 but a single session at block 0 "
                + "(iso build, mkisofs; or session 1's descriptor is damaged): its descriptors are at block 16, where a grown image keeps the copy of the newest "
                + "session's, so appending would hide it; start a multi-session image with 'iso append' on a new file");
        }

        Func<SourceNode, Stream> open = node => OpenSource(options.OpenSource, node);
        if (options.WriteManifest)
        {
            // A source file of the manifest's name gives way to the manifest, and is not looked at for reuse.
            snapshot.Children.RemoveAll(c => c.Name == BackupManifest.FileName);
        }

        IsoImage? previous = table.IsBlank ? null : IsoImage.Open(image, 0);
        Dictionary<SourceNode, uint> reusable = previous is null
            ? new Dictionary<SourceNode, uint>(ReferenceEqualityComparer.Instance)
            : ExtentReuse.Find(previous, snapshot, options.Reuse, open);
        long snapshotTime = options.SnapshotTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        uint start = table.NextWritableLba;
        var isoOptions = new IsoOptions(options.VolumeId, snapshotTime);
        SessionManifest? manifest = options.WriteManifest ? SessionManifest.AddTo(snapshot, isoOptions) : null;
        IsoPlan plan = IsoPlanner.Plan(snapshot, isoOptions, new IsoSessionPlacement(start, reusable));
        manifest?.PlaceLast(plan);
        List<PlannedFile> newFiles = plan.NewFiles.Where(f => f.SizeBytes > 0 && !ReferenceEquals(f.Node, manifest?.Node)).ToList();
        long newBytes = newFiles.Sum(f => f.SizeBytes);
        if (options.CapacityBlocks is uint capacity && plan.EndLba > capacity)
        {
            uint free = capacity > start ? capacity - start : 0;
            throw new SessionException(FormattableString.Invariant(
                $"medium full: the new session needs {plan.VolumeBlocks} blocks from block {start} ({newBytes} bytes of new file data), up to block {plan.EndLba}, but the medium holds {capacity} blocks ({free} free); nothing was written"));
        }

        // Every file to be written must open now, so an unreadable one stops the append before any write.
        foreach (PlannedFile f in newFiles)
        {
            open(f.Node).Dispose();
        }

        if (manifest is not null)
        {
            ReusedHashes(image, previous, plan, manifest);
            Func<SourceNode, Stream> plain = open;
            open = node => manifest.Open(node, plain);
        }

        long committedBytes = (long)table.EndLba * IsoFields.BlockBytes;
        bool committing = false;
        try
        {
            // Whatever lies past the committed end belongs to an append that never committed.
            image.SetLength(committedBytes);
            image.Position = (long)start * IsoFields.BlockBytes;
            Action<long>? progress = options.OnProgress is { } report ? done => report(done, newBytes) : null;
            IsoWriter.Write(plan, image, open, new IsoWriteOptions { SparseOutput = true, OnDataBytes = progress }, cancellationToken);
            Sync(image);

            committing = true;
            image.Position = 16L * IsoFields.BlockBytes;
            image.Write(IsoWriter.DescriptorSet(plan, plan.EndLba));
            Sync(image);
        }
        catch when (!committing)
        {
            image.SetLength(committedBytes);
            Sync(image);
            throw;
        }

        var session = new IsoSession(table.Sessions.Count + 1, start, plan.VolumeBlocks, options.VolumeId, snapshotTime);
        List<PlannedFile> reused = plan.Files.Where(f => f.Reused).ToList();
        var result = new AppendResult(session, plan, newFiles.Count, newBytes, reused.Count, reused.Sum(f => f.SizeBytes)) { Manifest = manifest?.Manifest };
        if (manifest?.Bytes is null)
        {
            return result;
        }

        // For the host's catalog, as 'iso build --manifest' keeps it: the digest of the session's
        // descriptors, path tables and directories as they are now on the medium.
        uint metadataBlocks = plan.DataLba - start;
        return result with
        {
            ManifestBytes = manifest.Bytes,
            MetadataBlocks = metadataBlocks,
            MetadataSha256 = HashBlocks(image, start, metadataBlocks),
        };
    }

    private static string HashBlocks(Stream image, uint firstLba, uint blocks)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[IsoFields.BlockBytes * 32];
        image.Position = (long)firstLba * IsoFields.BlockBytes;
        long left = (long)blocks * IsoFields.BlockBytes;
        while (left > 0)
        {
            int n = (int)Math.Min(buffer.Length, left);
            image.ReadExactly(buffer, 0, n);
            sha.AppendData(buffer, 0, n);
            left -= n;
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Reused files are not read again: their SHA-256 is the one the previous session's manifest gives for the
    /// same path and size (the extent is the one that manifest described), else it is taken from the image.
    /// </summary>
    private static void ReusedHashes(Stream image, IsoImage? previous, IsoPlan plan, SessionManifest manifest)
    {
        var reused = new HashSet<SourceNode>(plan.Files.Where(f => f.Reused).Select(f => f.Node), ReferenceEqualityComparer.Instance);
        if (reused.Count == 0 || previous is null)
        {
            return;
        }

        BackupManifest? old = null;
        var entries = new Dictionary<string, IsoEntry>(StringComparer.Ordinal);
        foreach ((string path, IsoEntry entry) in previous.Walk())
        {
            entries[path] = entry;
        }

        if (entries.TryGetValue(BackupManifest.FileName, out IsoEntry? stored) && stored.Kind == SourceKind.File && stored.SizeBytes <= 256L << 20)
        {
            var bytes = new MemoryStream();
            try
            {
                previous.CopyFile(stored, bytes);
                old = BackupManifest.Parse(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), "/" + BackupManifest.FileName);
            }
            catch (ManifestFormatException)
            {
                // A damaged manifest of the previous session: hash the reused data from the image instead.
            }
        }

        foreach ((string path, SourceNode node) in manifest.Entries)
        {
            if (!reused.Contains(node))
            {
                continue;
            }

            if (old?.Find(path) is { Sha256: { } sha } known && known.SizeBytes == node.SizeBytes)
            {
                manifest.SetHash(node, sha);
                continue;
            }

            using var sha256 = SHA256.Create();
            using (var hashing = new CryptoStream(Stream.Null, sha256, CryptoStreamMode.Write))
            {
                previous.CopyFile(entries[path], hashing);
            }

            manifest.SetHash(node, Convert.ToHexStringLower(sha256.Hash!));
        }
    }

    private static Stream OpenSource(Func<SourceNode, Stream> open, SourceNode node)
    {
        try
        {
            return open(node);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SessionException($"cannot read source file {node.SourcePath ?? node.Name}: {e.Message}; nothing was committed", e);
        }
    }

    private static void Sync(Stream image)
    {
        if (image is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            image.Flush();
        }
    }
}
