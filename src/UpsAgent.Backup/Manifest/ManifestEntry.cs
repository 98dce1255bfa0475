namespace UpsAgent.Backup.Manifest;

/// <summary>
/// One line of a <see cref="BackupManifest"/>: what a path was when it was written. <see cref="Sha256"/> is
/// set for regular files only; <see cref="Target"/> holds a symlink's target or a device's "major,minor".
/// </summary>
public sealed record ManifestEntry(
    string Path,
    ManifestEntryType Type,
    uint Permissions,
    uint Uid,
    uint Gid,
    long SizeBytes,
    long ModifyTime,
    string? Sha256,
    string? Target);
