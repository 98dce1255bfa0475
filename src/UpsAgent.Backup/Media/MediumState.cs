namespace UpsAgent.Backup.Media;

/// <summary>As xorriso reports "Media status": nothing written, written and open for another session, or closed.</summary>
public enum MediumState
{
    Blank,
    Appendable,
    Closed,
}
