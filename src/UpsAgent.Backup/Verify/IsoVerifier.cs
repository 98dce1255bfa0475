using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Verify;

/// <summary>
/// Reads a written session back, as xorriso's -check_media and -check_md5 do one after the other: first every
/// block of the volume (unreadable ones are reported by number, and the metadata blocks are hashed against the
/// digest the catalog took at write time), then every file, whose SHA-256, size and attributes are compared
/// with the manifest (the catalog's copy when the host has one, else the disc's own). Nothing is thrown for a
/// damaged medium: every finding goes into the report, and the walk carries on past a broken directory.
/// </summary>
public static class IsoVerifier
{
    private const int ChunkBytes = 1 << 20;
    private const int MaxReportedRanges = 100;

    public static VerifyReport Verify(Stream image, BackupCatalog? catalog, CancellationToken cancellationToken = default) =>
        Verify(image, 0, catalog, cancellationToken);

    /// <summary>
    /// Verifies the session whose descriptors start at block <paramref name="sessionStartLba"/> + 16 (0: the
    /// newest, through the copy at block 16). Every block from the start of the medium to the end of that
    /// session is read, since a session's files may lie in the sessions before it.
    /// </summary>
    public static VerifyReport Verify(Stream image, uint sessionStartLba, BackupCatalog? catalog, CancellationToken cancellationToken = default)
    {
        var report = new VerifyReport();
        IsoImage? iso = null;
        try
        {
            iso = IsoImage.Open(image, sessionStartLba);
        }
        catch (Exception e) when (e is IsoFormatException or IOException)
        {
            report.Add(VerifyProblemKind.Structure, "volume descriptors", e.Message);
        }

        CatalogSession? session = null;
        if (TryReadIdentity(image, sessionStartLba, out string volumeId, out long created))
        {
            report.VolumeId = volumeId;
            report.CreatedTime = created;
            try
            {
                session = catalog?.Find(volumeId, created);
            }
            catch (Exception e) when (e is ManifestFormatException or IOException)
            {
                report.Add(VerifyProblemKind.Manifest, "catalog", e.Message);
            }
        }

        report.CatalogSession = session;
        long volumeBlocks = iso?.VolumeEndLba ?? (session is null ? image.Length / IsoFields.BlockBytes : session.StartLba + (long)session.Blocks);
        ReadEveryBlock(image, volumeBlocks, session, report, cancellationToken);
        if (iso is null)
        {
            return report;
        }

        BackupManifest? reference = ChooseManifest(image, iso, catalog, session, report);
        CompareTree(image, iso, reference, report, cancellationToken);
        return report;
    }

    /// <summary>Volume id and creation time of the primary descriptor at block 16: the session's identity in the catalog.</summary>
    public static bool TryReadIdentity(Stream image, out string volumeId, out long createdTime) =>
        TryReadIdentity(image, 0, out volumeId, out createdTime);

    /// <summary>The identity of the session whose primary descriptor is at <paramref name="sessionStartLba"/> + 16.</summary>
    public static bool TryReadIdentity(Stream image, uint sessionStartLba, out string volumeId, out long createdTime)
    {
        volumeId = "";
        createdTime = 0;
        byte[] block = new byte[IsoFields.BlockBytes];
        try
        {
            image.Position = (sessionStartLba + 16L) * IsoFields.BlockBytes;
            image.ReadExactly(block);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            return false;
        }

        if (block[0] != 1 || !block.AsSpan(1, 5).SequenceEqual("CD001"u8))
        {
            return false;
        }

        volumeId = Encoding.ASCII.GetString(block, 40, 32).TrimEnd(' ', '\0');
        return TryReadLongDate(block.AsSpan(813, 17), out createdTime);
    }

    /// <summary>ECMA-119 §8.4.26.1: "YYYYMMDDhhmmsscc" and a signed offset from GMT in 15-minute units.</summary>
    private static bool TryReadLongDate(ReadOnlySpan<byte> field, out long unixSeconds)
    {
        unixSeconds = 0;
        string digits = Encoding.ASCII.GetString(field[..14]);
        if (!DateTime.TryParseExact(digits, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t))
        {
            return false;
        }

        unixSeconds = new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds() - ((sbyte)field[16] * 15L * 60L);
        return true;
    }

    private static void ReadEveryBlock(Stream image, long volumeBlocks, CatalogSession? session, VerifyReport report, CancellationToken cancellationToken)
    {
        long hashFrom = session is null ? 0 : (long)session.StartLba * IsoFields.BlockBytes;
        long hashTo = session is null ? 0 : hashFrom + ((long)session.MetadataBlocks * IsoFields.BlockBytes);
        using var metadata = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        bool metadataReadable = true;
        var bad = new List<(long First, long Last)>();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            long end = volumeBlocks * IsoFields.BlockBytes;
            long position = 0;
            while (position < end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int want = (int)Math.Min(ChunkBytes, end - position);
                int got = ReadAt(image, position, buffer.AsSpan(0, want));
                if (got < 0)
                {
                    // An I/O error somewhere in the chunk: find the blocks one by one, as a drive reports them.
                    for (long at = position; at < position + want; at += IsoFields.BlockBytes)
                    {
                        Span<byte> block = buffer.AsSpan((int)(at - position), IsoFields.BlockBytes);
                        if (ReadAt(image, at, block) != IsoFields.BlockBytes)
                        {
                            AddBad(bad, at / IsoFields.BlockBytes);
                            block.Clear();
                            metadataReadable &= at >= hashTo || at + IsoFields.BlockBytes <= hashFrom;
                        }
                    }

                    got = want;
                }
                else if (got < want)
                {
                    for (long lba = (position + got) / IsoFields.BlockBytes; lba < volumeBlocks; lba++)
                    {
                        AddBad(bad, lba);
                    }

                    metadataReadable &= position + got >= hashTo;
                    report.Add(VerifyProblemKind.Unreadable, FormattableString.Invariant($"block {(position + got) / IsoFields.BlockBytes}"), FormattableString.Invariant($"the medium ends after {position + got} bytes, the volume is {end} bytes: truncated"));
                }

                long from = Math.Max(position, hashFrom);
                long to = Math.Min(position + got, hashTo);
                if (from < to)
                {
                    metadata.AppendData(buffer.AsSpan((int)(from - position), (int)(to - from)));
                }

                report.BlocksRead += got / IsoFields.BlockBytes;
                if (got < want)
                {
                    break;
                }

                position += got;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        foreach ((long first, long last) in bad.Take(MaxReportedRanges))
        {
            report.Add(VerifyProblemKind.Unreadable, first == last ? $"block {first}" : $"blocks {first}-{last}", "cannot be read");
        }

        if (bad.Count > MaxReportedRanges)
        {
            report.Add(VerifyProblemKind.Unreadable, "more blocks", $"{bad.Count - MaxReportedRanges} further ranges cannot be read");
        }

        if (session is not null && metadataReadable)
        {
            string sha = Convert.ToHexStringLower(metadata.GetHashAndReset());
            if (sha != session.MetadataSha256)
            {
                report.Add(
                    VerifyProblemKind.MetadataChanged,
                    $"blocks {session.StartLba}-{session.StartLba + session.MetadataBlocks - 1}",
                    $"descriptors and directories hash to {sha}, the catalog recorded {session.MetadataSha256} when they were written");
            }
        }
    }

    /// <summary>Bytes read, or -1 on an I/O error; short only at the end of the medium.</summary>
    private static int ReadAt(Stream image, long position, Span<byte> buffer)
    {
        try
        {
            image.Position = position;
            return image.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static void AddBad(List<(long First, long Last)> bad, long lba)
    {
        if (bad.Count > 0 && bad[^1].Last == lba - 1)
        {
            bad[^1] = (bad[^1].First, lba);
        }
        else if (bad.Count == 0 || bad[^1].Last < lba)
        {
            bad.Add((lba, lba));
        }
    }

    private static BackupManifest? ChooseManifest(Stream image, IsoImage iso, BackupCatalog? catalog, CatalogSession? session, VerifyReport report)
    {
        BackupManifest? fromCatalog = null;
        if (session is not null && catalog is not null)
        {
            try
            {
                fromCatalog = catalog.LoadManifest(session);
            }
            catch (Exception e) when (e is ManifestFormatException or IOException)
            {
                report.Add(VerifyProblemKind.Manifest, "catalog", e.Message);
            }
        }

        BackupManifest? fromDisc = null;
        string where = "/" + BackupManifest.FileName;
        try
        {
            IsoEntry? entry = iso.ReadDirectory(iso.Root).FirstOrDefault(e => e.Name == BackupManifest.FileName && e.Kind == SourceKind.File);
            if (entry is null)
            {
                report.Add(VerifyProblemKind.Manifest, where, fromCatalog is null ? "no manifest on the disc and none in the catalog: file contents cannot be checked" : "no manifest on the disc");
            }
            else if (entry.SizeBytes > 256L << 20)
            {
                report.Add(VerifyProblemKind.Manifest, where, $"{entry.SizeBytes} bytes: too big to be a manifest");
            }
            else
            {
                using var bytes = new MemoryStream();
                ReadExtents(image, iso, entry, bytes, null);
                if (session is not null && Convert.ToHexStringLower(SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))) != session.ManifestSha256)
                {
                    report.Add(VerifyProblemKind.Manifest, where, "differs from the copy the catalog kept when the session was written");
                }

                fromDisc = BackupManifest.Parse(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), where);
            }
        }
        catch (Exception e) when (e is IsoFormatException or ManifestFormatException or IOException)
        {
            report.Add(VerifyProblemKind.Manifest, where, e.Message);
        }

        report.ManifestSource = fromCatalog is not null ? "catalog" : fromDisc is not null ? "disc" : null;
        return fromCatalog ?? fromDisc;
    }

    private static void CompareTree(Stream image, IsoImage iso, BackupManifest? reference, VerifyReport report, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        var dataExtents = new HashSet<(uint Lba, long Bytes)>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var queue = new Queue<(string Path, IsoEntry Dir)>();
            var visited = new HashSet<uint>();
            queue.Enqueue(("", iso.Root));
            while (queue.Count > 0)
            {
                (string dirPath, IsoEntry dir) = queue.Dequeue();
                List<IsoEntry> children;
                try
                {
                    children = iso.ReadDirectory(dir);
                }
                catch (Exception e) when (e is IsoFormatException or IOException)
                {
                    unreadable.Add(dirPath);
                    report.Add(VerifyProblemKind.Structure, dirPath.Length == 0 ? "/" : dirPath, $"directory cannot be read: {e.Message}");
                    continue;
                }

                foreach (IsoEntry child in children)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string path = dirPath.Length == 0 ? child.Name : $"{dirPath}/{child.Name}";
                    if (path == BackupManifest.FileName)
                    {
                        dataExtents.Add((child.Extents[0].Lba, child.SizeBytes));
                        continue;
                    }

                    if (!seen.Add(path))
                    {
                        report.Add(VerifyProblemKind.Structure, path, "listed twice");
                        continue;
                    }

                    if (child.Kind == SourceKind.Directory)
                    {
                        if (visited.Add(child.Extents[0].Lba) && path.Count(c => c == '/') < 256)
                        {
                            queue.Enqueue((path, child));
                        }
                        else
                        {
                            report.Add(VerifyProblemKind.Structure, path, FormattableString.Invariant($"directory at block {child.Extents[0].Lba} loops back to another one"));
                        }
                    }
                    else if (child.Kind == SourceKind.File && child.SizeBytes > 0)
                    {
                        dataExtents.Add((child.Extents[0].Lba, child.SizeBytes));
                    }

                    if (reference is not null)
                    {
                        CompareEntry(image, iso, path, child, reference.Find(path), hash, buffer, report);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (reference is not null)
        {
            foreach (ManifestEntry e in reference.Entries)
            {
                if (!seen.Contains(e.Path))
                {
                    string? lost = unreadable.FirstOrDefault(d => d.Length == 0 || e.Path.StartsWith(d + "/", StringComparison.Ordinal));
                    report.Add(VerifyProblemKind.Missing, e.Path, lost is null ? "in the manifest, not on the disc" : $"in the manifest; its directory '{(lost.Length == 0 ? "/" : lost)}' cannot be read");
                }
            }
        }

        if (iso.HasJoliet && iso.HasRockRidge)
        {
            CheckJoliet(iso, dataExtents, report);
        }
    }

    private static void CompareEntry(Stream image, IsoImage iso, string path, IsoEntry entry, ManifestEntry? expected, IncrementalHash hash, byte[] buffer, VerifyReport report)
    {
        if (expected is null)
        {
            report.Add(VerifyProblemKind.Unexpected, path, "on the disc, not in the manifest");
            return;
        }

        ManifestEntryType type = ManifestedImage.TypeOf(entry.Kind);
        if (type != expected.Type)
        {
            report.Add(VerifyProblemKind.AttributesChanged, path, $"type {(char)type}, manifest says {(char)expected.Type}");
            return;
        }

        if (iso.HasRockRidge)
        {
            var differences = new List<string>();
            if ((entry.Mode & 0xFFF) != expected.Permissions)
            {
                differences.Add($"mode {Convert.ToString(entry.Mode & 0xFFF, 8)} (manifest {Convert.ToString(expected.Permissions, 8)})");
            }

            if (entry.Uid != expected.Uid || entry.Gid != expected.Gid)
            {
                differences.Add(FormattableString.Invariant($"owner {entry.Uid}:{entry.Gid} (manifest {expected.Uid}:{expected.Gid})"));
            }

            if (entry.ModifyTime != expected.ModifyTime)
            {
                differences.Add(FormattableString.Invariant($"mtime {entry.ModifyTime} (manifest {expected.ModifyTime})"));
            }

            string? target = entry.Kind switch
            {
                SourceKind.Symlink => entry.SymlinkTarget ?? "",
                SourceKind.CharacterDevice or SourceKind.BlockDevice => FormattableString.Invariant($"{entry.DeviceMajor},{entry.DeviceMinor}"),
                _ => null,
            };
            if (target != expected.Target)
            {
                differences.Add($"target '{target}' (manifest '{expected.Target}')");
            }

            if (differences.Count > 0)
            {
                report.Add(VerifyProblemKind.AttributesChanged, path, string.Join(", ", differences));
            }
        }

        if (entry.Kind != SourceKind.File)
        {
            return;
        }

        report.FilesChecked++;
        if (entry.SizeBytes != expected.SizeBytes)
        {
            report.Add(VerifyProblemKind.ContentChanged, path, FormattableString.Invariant($"size {entry.SizeBytes} bytes, manifest says {expected.SizeBytes}"));
            return;
        }

        try
        {
            ReadExtents(image, iso, entry, null, (hash, buffer));
            report.BytesHashed += entry.SizeBytes;
            string sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (sha != expected.Sha256)
            {
                report.Add(VerifyProblemKind.ContentChanged, path, $"content hashes to {sha}, manifest says {expected.Sha256}");
            }
        }
        catch (Exception e) when (e is IsoFormatException or IOException)
        {
            hash.GetHashAndReset();
            report.Add(VerifyProblemKind.Unreadable, path, e.Message);
        }
    }

    /// <summary>Copies a file's extents to <paramref name="copy"/> or into a hash, checking each against the volume end.</summary>
    private static void ReadExtents(Stream image, IsoImage iso, IsoEntry entry, Stream? copy, (IncrementalHash Hash, byte[] Buffer)? hashing)
    {
        byte[] buffer = hashing?.Buffer ?? new byte[64 * 1024];
        foreach ((uint lba, uint bytes) in entry.Extents)
        {
            if ((long)lba * IsoFields.BlockBytes + bytes > (long)iso.VolumeEndLba * IsoFields.BlockBytes)
            {
                throw new IsoFormatException(FormattableString.Invariant($"extent at block {lba} of {bytes} bytes lies beyond the volume end (block {iso.VolumeEndLba})"));
            }

            image.Position = (long)lba * IsoFields.BlockBytes;
            long left = bytes;
            while (left > 0)
            {
                int n = (int)Math.Min(buffer.Length, left);
                image.ReadExactly(buffer, 0, n);
                copy?.Write(buffer, 0, n);
                hashing?.Hash.AppendData(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static void CheckJoliet(IsoImage iso, HashSet<(uint Lba, long Bytes)> dataExtents, VerifyReport report)
    {
        var stack = new Stack<(string Path, IsoEntry Dir)>();
        var visited = new HashSet<uint>();
        stack.Push(("", iso.JolietRoot!));
        while (stack.Count > 0)
        {
            (string dirPath, IsoEntry dir) = stack.Pop();
            List<IsoEntry> children;
            try
            {
                children = iso.ReadDirectory(dir, joliet: true);
            }
            catch (Exception e) when (e is IsoFormatException or IOException)
            {
                report.Add(VerifyProblemKind.JolietMismatch, dirPath.Length == 0 ? "/" : dirPath, $"Joliet directory cannot be read: {e.Message}");
                continue;
            }

            foreach (IsoEntry child in children)
            {
                string path = dirPath.Length == 0 ? child.Name : $"{dirPath}/{child.Name}";
                if (child.Kind == SourceKind.Directory)
                {
                    if (visited.Add(child.Extents[0].Lba) && path.Count(c => c == '/') < 256)
                    {
                        stack.Push((path, child));
                    }
                }
                else if (child.SizeBytes > 0 && !dataExtents.Contains((child.Extents[0].Lba, child.SizeBytes)))
                {
                    report.Add(VerifyProblemKind.JolietMismatch, path, FormattableString.Invariant($"Joliet record points at block {child.Extents[0].Lba} with {child.SizeBytes} bytes, where no Rock Ridge file of that size starts"));
                }
            }
        }
    }
}
