namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Where a session starts and which regular files already lie on the medium (absolute LBA of their first
/// block, the data contiguous). Empty for a single-session image at block 0.
/// </summary>
public sealed record IsoSessionPlacement(uint StartLba, IReadOnlyDictionary<SourceNode, uint> ReusableExtents)
{
    public static IsoSessionPlacement SingleSession { get; } =
        new(0, new Dictionary<SourceNode, uint>(ReferenceEqualityComparer.Instance));
}
