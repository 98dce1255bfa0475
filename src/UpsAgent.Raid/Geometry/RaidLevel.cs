namespace UpsAgent.Raid.Geometry;

/// <summary>md personality numbers as stored in the v1.2 superblock's level field.</summary>
public enum RaidLevel
{
    Raid0 = 0,
    Raid1 = 1,
    Raid4 = 4,
    Raid5 = 5,
    Raid6 = 6,
    Raid10 = 10,
}
