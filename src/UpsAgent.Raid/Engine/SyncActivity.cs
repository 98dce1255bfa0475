namespace UpsAgent.Raid.Engine;

/// <summary>A pass in progress, as md's sync_action and sync_completed show it: what, and how far, in sectors.</summary>
public sealed record SyncActivity(string Action, long DoneSectors, long TotalSectors, bool Paused)
{
    public double Percent => TotalSectors == 0 ? 100 : 100.0 * DoneSectors / TotalSectors;
}
