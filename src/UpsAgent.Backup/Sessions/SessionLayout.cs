namespace UpsAgent.Backup.Sessions;

/// <summary>How the sessions of an image file are arranged.</summary>
public enum SessionLayout
{
    /// <summary>No committed session: an empty file, or one whose first append never reached its commit.</summary>
    Blank,

    /// <summary>
    /// A grown "virtual disc" as xorriso writes it: session 1 at block 32, each next one at the 32-block
    /// boundary after the previous, and a copy of the newest descriptors at block 16 stating the absolute end.
    /// </summary>
    Grown,

    /// <summary>A plain image with its only session at block 0 (iso build, mkisofs): its descriptors are the ones at block 16.</summary>
    SingleAtZero,
}
