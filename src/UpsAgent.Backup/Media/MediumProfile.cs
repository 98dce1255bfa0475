namespace UpsAgent.Backup.Media;

/// <summary>
/// Capacity of the disc types a virtual disc can imitate, in 2048-byte blocks: CD-R 74 min (333,000) and
/// 80 min (360,000) sectors, single-layer DVD+R (2,295,104; DVD-R holds 2,298,496, so the smaller one fits
/// both) and single-layer BD-R (12,219,392).
/// </summary>
public sealed record MediumProfile(string Name, long CapacityBlocks, string Description)
{
    public static readonly MediumProfile Cd650 = new("cd650", 333_000, "CD 650 MB (74 min)");
    public static readonly MediumProfile Cd700 = new("cd700", 360_000, "CD 700 MB (80 min)");
    public static readonly MediumProfile Dvd = new("dvd", 2_295_104, "DVD 4.7 GB (single layer)");
    public static readonly MediumProfile Bd25 = new("bd25", 12_219_392, "BD 25 GB (single layer)");

    public static IReadOnlyList<MediumProfile> All { get; } = [Cd650, Cd700, Dvd, Bd25];

    public long CapacityBytes => CapacityBlocks * 2048;

    public static MediumProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
