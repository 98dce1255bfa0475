namespace UpsAgent.Raid.Engine;

/// <summary>How far a rebuild has got: member sectors done out of the per-member size.</summary>
public readonly record struct RebuildProgress(string Member, long DoneSectors, long TotalSectors)
{
    public double Percent => TotalSectors == 0 ? 100 : 100.0 * DoneSectors / TotalSectors;
}
