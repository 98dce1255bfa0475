namespace UpsAgent.Backup.Manifest;

/// <summary>
/// What the host remembers of one written session: where it went, how big it is, the digest of its metadata
/// blocks and of its manifest, and the outcome of the last verification (Bacula's VolumeToCatalog, in small).
/// A session is identified by its volume id and creation time, both read back from its descriptor.
/// </summary>
public sealed record CatalogSession(
    string VolumeId,
    long CreatedTime,
    string Target,
    uint StartLba,
    uint Blocks,
    uint MetadataBlocks,
    string MetadataSha256,
    string ManifestSha256,
    VerifyState State,
    long VerifiedTime);
