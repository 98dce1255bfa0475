namespace UpsAgent.Shutdown.Execution;

/// <summary>
/// The file that tells the shutdown scripts to cut the UPS's power at the very end. It carries the
/// same text as upsmon's, so NUT's own `upsmon -K` check recognises it too.
/// </summary>
public static class PowerDownFlag
{
    public const string Magic = "upsmon-shutdown-file";

    public static void Write(string path) => File.WriteAllText(path, Magic + "\n");

    /// <summary>True only for a flag file we (or upsmon) wrote: other files at that path are left alone.</summary>
    public static bool IsSet(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadAllText(path).StartsWith(Magic, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Startup removes a flag left by a previous shutdown, as upsmon does.</summary>
    public static bool ClearStale(string path)
    {
        if (!IsSet(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }
}
