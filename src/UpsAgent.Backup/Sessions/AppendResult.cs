using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Sessions;

/// <summary>The committed session and how much of it is new data versus extents kept from earlier sessions.</summary>
public sealed record AppendResult(IsoSession Session, IsoPlan Plan, int FilesWritten, long BytesWritten, int FilesReused, long BytesReused)
{
    /// <summary>The manifest stored in the session (with <see cref="AppendOptions.WriteManifest"/>), else null.</summary>
    public BackupManifest? Manifest { get; init; }

    /// <summary>The manifest's bytes as stored, with a manifest; else null.</summary>
    public byte[]? ManifestBytes { get; init; }

    /// <summary>Blocks from the session's start to its first file data: descriptors, path tables, directories.</summary>
    public uint MetadataBlocks { get; init; }

    /// <summary>SHA-256 of those blocks as written, with a manifest; else null.</summary>
    public string? MetadataSha256 { get; init; }

    /// <summary>The catalog's line for this session on <paramref name="target"/>, not verified yet; null without a manifest.</summary>
    public CatalogSession? CatalogEntry(string target) => Manifest is null || ManifestBytes is null || MetadataSha256 is null
        ? null
        : new CatalogSession(
            Manifest.VolumeId,
            Manifest.CreatedTime,
            target,
            Session.StartLba,
            Session.SizeBlocks,
            MetadataBlocks,
            MetadataSha256,
            Convert.ToHexStringLower(SHA256.HashData(ManifestBytes)),
            VerifyState.Unverified,
            0);
}
