namespace UpsAgent.Backup.Manifest;

/// <summary>Outcome of the last verification of a session; only <see cref="Good"/> sessions count as a backup.</summary>
public enum VerifyState
{
    Unverified,
    Good,
    Bad,
}
