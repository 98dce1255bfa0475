using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// Writes a session that carries its own <see cref="BackupManifest"/> as <see cref="BackupManifest.FileName"/>
/// in the root. Files are hashed while they are copied; the manifest's data is planned last so it is written
/// after every hash is known, and its size is known up front because every field but the hash is.
/// </summary>
public static class ManifestedImage
{
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));
    private static readonly string Placeholder = new('0', 64);

    /// <summary>
    /// Adds the manifest to <paramref name="root"/> (replacing a source file of that name) and writes the image.
    /// <paramref name="beforeWrite"/> sees the finished plan before the first byte goes out (a medium checks its space there).
    /// </summary>
    public static ManifestedImageResult Write(
        SourceNode root, IsoOptions options, Stream output, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default, Action<IsoPlan>? beforeWrite = null)
    {
        root.Children.RemoveAll(c => c.Name == BackupManifest.FileName);
        List<(string Path, SourceNode Node)> nodes = Flatten(root);
        var hashes = new Dictionary<SourceNode, string>(ReferenceEqualityComparer.Instance);
        int size = Manifest(options, nodes, _ => Placeholder).ToBytes().Length;
        long t = options.RecordingTime;
        var manifestNode = new SourceNode
        {
            Name = BackupManifest.FileName,
            Kind = SourceKind.File,
            SizeBytes = size,
            Permissions = 0x124,
            ModifyTime = t,
            AccessTime = t,
            ChangeTime = t,
        };
        root.Children.Add(manifestNode);
        IsoPlan plan = IsoPlanner.Plan(root, options);
        ManifestLayout.MoveToEnd(plan, plan.Files.Single(f => ReferenceEquals(f.Node, manifestNode)));
        beforeWrite?.Invoke(plan);

        BackupManifest? manifest = null;
        byte[]? manifestBytes = null;
        long metadataBytes = (long)plan.DataLba * IsoFields.BlockBytes;
        using var hashing = new HashingWriteStream(output, metadataBytes);
        IsoWriter.Write(plan, hashing, Open, cancellationToken);
        if (manifest is null || manifestBytes is null)
        {
            throw new InvalidOperationException("the writer never asked for the manifest's data");
        }

        return new ManifestedImageResult(plan, manifest, manifestBytes, plan.DataLba, hashing.Sha256());

        Stream Open(SourceNode node)
        {
            if (!ReferenceEquals(node, manifestNode))
            {
                return new HashingReadStream(openFile(node), (sha, bytes) =>
                {
                    if (bytes == node.SizeBytes)
                    {
                        hashes[node] = sha;
                    }
                });
            }

            manifest = Manifest(options, nodes, n => n.SizeBytes == 0 ? EmptySha256
                : hashes.TryGetValue(n, out string? sha) ? sha
                : throw new InvalidOperationException($"'{n.Name}' was not written before the manifest"));
            manifestBytes = manifest.ToBytes();
            if (manifestBytes.Length != size)
            {
                throw new InvalidOperationException($"manifest is {manifestBytes.Length} bytes, planned {size}");
            }

            return new MemoryStream(manifestBytes, writable: false);
        }
    }

    private static BackupManifest Manifest(IsoOptions options, List<(string Path, SourceNode Node)> nodes, Func<SourceNode, string> sha) =>
        new(options.VolumeId, options.RecordingTime, nodes.Select(n => Entry(n.Path, n.Node, n.Node.Kind == SourceKind.File ? sha(n.Node) : null)));

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

    private static List<(string Path, SourceNode Node)> Flatten(SourceNode root)
    {
        var list = new List<(string, SourceNode)>();
        var stack = new Stack<(string Prefix, SourceNode Node)>();
        stack.Push(("", root));
        while (stack.Count > 0)
        {
            (string prefix, SourceNode dir) = stack.Pop();
            foreach (SourceNode child in dir.Children)
            {
                string path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
                list.Add((path, child));
                if (child.Kind == SourceKind.Directory)
                {
                    stack.Push((path, child));
                }
            }
        }

        return list;
    }
}
