namespace UpsAgent.Backup.Sessions;

/// <summary>When a file of the new tree may keep the extent an earlier session wrote for the same path.</summary>
public enum ReuseRule
{
    /// <summary>
    /// Same size, mtime and ctime, and both older than the earlier session's snapshot time. ctime cannot be
    /// set back by tools that restore mtimes, and the age test rejects files changed in the very second the
    /// earlier snapshot was taken (times have one-second resolution in RRIP TF), like git's "racy" check.
    /// </summary>
    SizeAndTimes,

    /// <summary>Same size and the same bytes: reads the source and the old extent, writes nothing when they match.</summary>
    Contents,

    /// <summary>Write every file again.</summary>
    Never,
}
