using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// The <see cref="BackupManifest"/> of one session while it is planned and written. Its size is known up
/// front (every field but the hashes is, and a hash has a fixed length), so it is planned like any file and
/// moved last; each file is hashed from the bytes handed to the writer, and the manifest's own bytes are
/// made when the writer reaches it, after every other file. Files whose data an earlier session already
/// holds (reused extents) are not read: their hashes are given.
/// </summary>
public sealed class SessionManifest
{
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));
    private static readonly string Placeholder = new('0', 64);

    private readonly IsoOptions _options;
    private readonly List<(string Path, SourceNode Node)> _nodes;
    private readonly Dictionary<SourceNode, string> _hashes = new(ReferenceEqualityComparer.Instance);
    private readonly int _sizeBytes;

    private SessionManifest(IsoOptions options, List<(string Path, SourceNode Node)> nodes, SourceNode node, int sizeBytes)
    {
        _options = options;
        _nodes = nodes;
        Node = node;
        _sizeBytes = sizeBytes;
    }

    /// <summary>The manifest's own entry in the root.</summary>
    public SourceNode Node { get; }

    /// <summary>Every entry of the tree but the manifest, with its path from the root.</summary>
    public IReadOnlyList<(string Path, SourceNode Node)> Entries => _nodes;

    /// <summary>The manifest as written; null until the writer asked for its data.</summary>
    public BackupManifest? Manifest { get; private set; }

    public byte[]? Bytes { get; private set; }

    /// <summary>Adds the manifest to <paramref name="root"/>, replacing a source file of that name.</summary>
    public static SessionManifest AddTo(SourceNode root, IsoOptions options)
    {
        root.Children.RemoveAll(c => c.Name == BackupManifest.FileName);
        List<(string Path, SourceNode Node)> nodes = root.Descendants().ToList();
        int size = Build(options, nodes, _ => Placeholder).ToBytes().Length;
        long t = options.RecordingTime;
        var node = new SourceNode
        {
            Name = BackupManifest.FileName,
            Kind = SourceKind.File,
            SizeBytes = size,
            Permissions = 0x124,
            ModifyTime = t,
            AccessTime = t,
            ChangeTime = t,
        };
        root.Children.Add(node);
        return new SessionManifest(options, nodes, node, size);
    }

    /// <summary>Moves the manifest's data after every other new file of the freshly made plan.</summary>
    public void PlaceLast(IsoPlan plan) => ManifestLayout.MoveToEnd(plan, plan.Files.Single(f => ReferenceEquals(f.Node, Node)));

    /// <summary>The SHA-256 of a file that is not read in this session (its data is reused from an earlier one).</summary>
    public void SetHash(SourceNode node, string sha256) => _hashes[node] = sha256;

    /// <summary>What the writer reads for <paramref name="node"/>: the file hashed on its way through, or the manifest itself.</summary>
    public Stream Open(SourceNode node, Func<SourceNode, Stream> openFile)
    {
        if (!ReferenceEquals(node, Node))
        {
            return new HashingReadStream(openFile(node), (sha, bytes) =>
            {
                if (bytes == node.SizeBytes)
                {
                    _hashes[node] = sha;
                }
            });
        }

        BackupManifest manifest = Build(_options, _nodes, n => n.SizeBytes == 0 ? EmptySha256
            : _hashes.TryGetValue(n, out string? sha) ? sha
            : throw new InvalidOperationException($"'{n.Name}' was not written before the manifest"));
        byte[] bytes = manifest.ToBytes();
        if (bytes.Length != _sizeBytes)
        {
            throw new InvalidOperationException($"manifest is {bytes.Length} bytes, planned {_sizeBytes}");
        }

        Manifest = manifest;
        Bytes = bytes;
        return new MemoryStream(bytes, writable: false);
    }

    private static BackupManifest Build(IsoOptions options, List<(string Path, SourceNode Node)> nodes, Func<SourceNode, string> sha) =>
        new(options.VolumeId, options.RecordingTime, nodes.Select(n => ManifestedImage.Entry(n.Path, n.Node, n.Node.Kind == SourceKind.File ? sha(n.Node) : null)));
}
