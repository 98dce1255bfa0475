using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Verify;

/// <summary>
/// Everything a verification found. <see cref="Good"/> needs every block readable, a manifest to compare
/// against and no difference from it; an image without any manifest is never called good.
/// </summary>
public sealed class VerifyReport
{
    public List<VerifyProblem> Problems { get; } = [];

    public string VolumeId { get; set; } = "";

    public long CreatedTime { get; set; }

    public long BlocksRead { get; set; }

    public int FilesChecked { get; set; }

    public long BytesHashed { get; set; }

    /// <summary>Where the reference came from: "catalog", "disc", or null when there was none.</summary>
    public string? ManifestSource { get; set; }

    public CatalogSession? CatalogSession { get; set; }

    public bool Good => Problems.Count == 0 && ManifestSource is not null;

    public void Add(VerifyProblemKind kind, string where, string detail) => Problems.Add(new VerifyProblem(kind, where, detail));
}
