namespace UpsAgent.TestKit.Peers;

/// <summary>A private scratch directory for one peer, removed when the peer is disposed.</summary>
internal static class PeerDirectory
{
    public static string Create(string prefix) => System.IO.Directory.CreateTempSubdirectory(prefix).FullName;

    public static string WriteFile(string directory, string name, string content, bool ownerOnly = false)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        // upsd warns about configuration files other users can read.
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    public static string WriteScript(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return path;
    }

    /// <summary>
    /// Copies a device file into the peer's directory: dummy-ups replays a once-mode file when it is touched,
    /// and each server must play its own copy from the start.
    /// </summary>
    public static string CopyDevice(string directory, SimulatedUps ups)
    {
        var target = Path.Combine(directory, $"{ups.Name}{Path.GetExtension(ups.DeviceFile)}");
        File.Copy(Path.GetFullPath(ups.DeviceFile), target, overwrite: true);
        return target;
    }

    public static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a socket file; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static bool RunningAsRoot => Environment.UserName == "root";
}
