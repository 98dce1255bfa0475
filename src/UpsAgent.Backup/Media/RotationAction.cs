namespace UpsAgent.Backup.Media;

public enum RotationAction
{
    /// <summary>The chosen medium is blank: write the first session.</summary>
    Write,

    /// <summary>The chosen medium holds an older backup: blank it, then write.</summary>
    BlankAndWrite,

    /// <summary>No medium may be used; the reason says why and what to do.</summary>
    Refuse,
}
