using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// Writes a session that carries its own <see cref="BackupManifest"/> as <see cref="BackupManifest.FileName"/>
/// in the root. Files are hashed while they are copied; the manifest's data is planned last so it is written
/// after every hash is known, and its size is known up front because every field but the hash is.
/// </summary>
public static class ManifestedImage
{
    /// <summary>
    /// Adds the manifest to <paramref name="root"/> (replacing a source file of that name) and writes the image.
    /// <paramref name="beforeWrite"/> sees the finished plan before the first byte goes out (a medium checks its space there).
    /// </summary>
    public static ManifestedImageResult Write(
        SourceNode root, IsoOptions options, Stream output, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default, Action<IsoPlan>? beforeWrite = null)
    {
        SessionManifest manifest = SessionManifest.AddTo(root, options);
        IsoPlan plan = IsoPlanner.Plan(root, options);
        manifest.PlaceLast(plan);
        beforeWrite?.Invoke(plan);

        long metadataBytes = (long)plan.DataLba * IsoFields.BlockBytes;
        using var hashing = new HashingWriteStream(output, metadataBytes);
        IsoWriter.Write(plan, hashing, node => manifest.Open(node, openFile), cancellationToken);
        if (manifest.Manifest is null || manifest.Bytes is null)
        {
            throw new InvalidOperationException("the writer never asked for the manifest's data");
        }

        return new ManifestedImageResult(plan, manifest.Manifest, manifest.Bytes, plan.DataLba, hashing.Sha256());
    }

    public static ManifestEntry Entry(string path, SourceNode node, string? sha256) => new(
        path,
        TypeOf(node.Kind),
        node.Permissions,
        node.Uid,
        node.Gid,
        node.Kind == SourceKind.File ? node.SizeBytes : 0,
        node.ModifyTime,
        sha256,
        node.Kind switch
        {
            SourceKind.Symlink => node.SymlinkTarget ?? "",
            SourceKind.CharacterDevice or SourceKind.BlockDevice => FormattableString.Invariant($"{node.DeviceMajor},{node.DeviceMinor}"),
            _ => null,
        });

    public static ManifestEntryType TypeOf(SourceKind kind) => kind switch
    {
        SourceKind.Directory => ManifestEntryType.Directory,
        SourceKind.Symlink => ManifestEntryType.Symlink,
        SourceKind.CharacterDevice => ManifestEntryType.CharacterDevice,
        SourceKind.BlockDevice => ManifestEntryType.BlockDevice,
        SourceKind.Fifo => ManifestEntryType.Fifo,
        SourceKind.Socket => ManifestEntryType.Socket,
        _ => ManifestEntryType.File,
    };
}
