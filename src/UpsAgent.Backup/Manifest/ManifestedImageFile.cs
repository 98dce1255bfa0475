using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Manifest;

/// <summary>
/// "iso build --manifest": snapshot, plan and write a single-session image file with its manifest, under a
/// temporary name renamed into place once it is on disk, then record the session in the catalog.
/// </summary>
public static class ManifestedImageFile
{
    public static ManifestedImageResult Build(string sourceDirectory, string outputPath, IsoOptions options, BackupCatalog? catalog, CancellationToken cancellationToken = default)
    {
        SourceNode root = SourceScanner.Scan(sourceDirectory);
        string full = Path.GetFullPath(outputPath);
        string temp = full + ".partial";
        ManifestedImageResult result;
        try
        {
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = ManifestedImage.Write(root, options, output, OpenSource, cancellationToken);
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        catalog?.Add(SessionOf(result, full, startLba: 0), result.ManifestBytes);
        return result;
    }

    /// <summary>The catalog line for a session just written at <paramref name="startLba"/>; not verified yet.</summary>
    public static CatalogSession SessionOf(ManifestedImageResult result, string target, uint startLba) => new(
        result.Manifest.VolumeId,
        result.Manifest.CreatedTime,
        target,
        startLba,
        result.Plan.VolumeBlocks,
        result.MetadataBlocks,
        result.MetadataSha256,
        Convert.ToHexStringLower(SHA256.HashData(result.ManifestBytes)),
        VerifyState.Unverified,
        0);

    /// <summary>Reads a scanned file from its source path, sequentially.</summary>
    public static Stream OpenSource(SourceNode node) =>
        SourceFileStream.Open(node.SourcePath ?? throw new InvalidOperationException($"file '{node.Name}' has no source path"));
}
