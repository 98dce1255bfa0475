using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Sessions;

/// <summary>What an append writes and what it may assume about the medium.</summary>
public sealed record AppendOptions
{
    public string VolumeId { get; init; } = "UPSAGENT";

    /// <summary>
    /// When the source snapshot was started (Unix seconds); null = now, taken before scanning. The next
    /// append trusts unchanged times only for files older than this, so it must not lie in the future.
    /// </summary>
    public long? SnapshotTime { get; init; }

    public ReuseRule Reuse { get; init; } = ReuseRule.SizeAndTimes;

    /// <summary>Blocks the medium holds; an append that would end beyond it is refused before writing. Null = unlimited.</summary>
    public uint? CapacityBlocks { get; init; }

    /// <summary>Opens a source file's bytes; the default reads <see cref="SourceNode.SourcePath"/>.</summary>
    public Func<SourceNode, Stream> OpenSource { get; init; } = IsoImageFile.OpenSource;

    /// <summary>
    /// Store /.upsagent-manifest (type, mode, owner, size, mtime, SHA-256 of every entry) in the new session's
    /// root, as "iso build --manifest" does. New files are hashed as they are written; files whose extents are
    /// reused keep the hash the previous session's manifest states, or are hashed from the image without one.
    /// </summary>
    public bool WriteManifest { get; init; }

    /// <summary>Called with (new file-data bytes written so far, total to write).</summary>
    public Action<long, long>? OnProgress { get; init; }
}
