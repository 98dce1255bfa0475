namespace UpsAgent.Raid.Engine;

/// <summary>
/// Outcome of check/repair. Mismatches count sectors at 4 KiB granularity, as md's mismatch_cnt does.
/// </summary>
public sealed record ScrubResult(long MismatchSectors, long CheckedSectors, bool Repaired);
