using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Sessions;

/// <summary>The committed session and how much of it is new data versus extents kept from earlier sessions.</summary>
public sealed record AppendResult(IsoSession Session, IsoPlan Plan, int FilesWritten, long BytesWritten, int FilesReused, long BytesReused)
{
    /// <summary>The manifest stored in the session (with <see cref="AppendOptions.WriteManifest"/>), else null.</summary>
    public BackupManifest? Manifest { get; init; }
}
