namespace UpsAgent.Raid.Geometry;

/// <summary>Where a logical sector lives: a role (slot) and a sector counted from that member's data offset.</summary>
public readonly record struct MemberAddress(int Disk, long Sector);
