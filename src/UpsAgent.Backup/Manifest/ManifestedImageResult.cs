using UpsAgent.Backup.Iso9660;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// A session written with its manifest: the plan, the manifest as stored on the disc, and the SHA-256 of the
/// session's metadata blocks (descriptors, path tables, directories) as written, for the catalog.
/// </summary>
public sealed record ManifestedImageResult(IsoPlan Plan, BackupManifest Manifest, byte[] ManifestBytes, uint MetadataBlocks, string MetadataSha256);
