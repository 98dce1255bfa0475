using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Media;

/// <summary>
/// Somewhere backups are written: a virtual disc (image file), a directory or mounted USB disk, or an optical
/// drive. Every operation either completes or throws <see cref="MediumException"/> (or another
/// <see cref="IOException"/>) before the medium changed, except a write that fails midway, which leaves the
/// medium as a failed write leaves a disc: to be verified or blanked.
/// </summary>
public interface IMediaTarget
{
    string Name { get; }

    MediumStatus Status();

    void Blank(BlankMode mode, CancellationToken cancellationToken = default);

    /// <summary>cdrecord -msinfo; null for a blank medium, which has no previous session to point at.</summary>
    MultiSessionInfo? MultiSessionInfo();

    /// <summary>
    /// Writes a session holding <paramref name="root"/> and its manifest on a blank medium (a directory takes
    /// a new image file instead), refusing before writing when it would not fit.
    /// </summary>
    WrittenSession WriteSession(SourceNode root, IsoOptions options, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default);
}
