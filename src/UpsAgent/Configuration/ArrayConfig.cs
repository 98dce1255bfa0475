namespace UpsAgent.Configuration;

/// <summary>
/// An [array NAME] section: the members of one md-format array in role order ("missing" for an absent
/// one, as in mdadm), with optional assertions on its level and UUID and md's sync speed limits.
/// </summary>
public sealed record ArrayConfig(string Name, IReadOnlyList<string> Members, ConfigSection Section)
{
    /// <summary>The level the array must have; null to accept what the superblocks say.</summary>
    public int? Level { get; init; }

    /// <summary>The array UUID as mdadm prints it; null to accept any.</summary>
    public string? Uuid { get; init; }

    /// <summary>md's sync_speed_min, KiB/s.</summary>
    public long SpeedMinKib { get; init; } = 1000;

    /// <summary>md's sync_speed_max, KiB/s.</summary>
    public long SpeedMaxKib { get; init; } = 200_000;
}
