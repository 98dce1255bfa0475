using System.Diagnostics;

namespace UpsAgent.Raid.Tests.Interop;

/// <summary>
/// A loop device over an image file (read-only unless asked), for mdadm modes that only look inside block
/// devices (--examine-bitmap treats a regular file as an external bitmap) and for members that are block
/// devices. Null when losetup is not allowed.
/// </summary>
internal sealed class LoopDevice : IDisposable
{
    private LoopDevice(string path) => Path = path;

    public string Path { get; }

    public static LoopDevice? TryAttach(string image, bool readOnly = true)
    {
        (int code, string output) = readOnly ? Losetup("--find", "--show", "--read-only", image) : Losetup("--find", "--show", image);
        return code == 0 && output.Trim().StartsWith("/dev/loop", StringComparison.Ordinal) ? new LoopDevice(output.Trim()) : null;
    }

    public void Dispose() => Losetup("--detach", Path);

    private static (int Code, string Output) Losetup(params string[] args)
    {
        var start = new ProcessStartInfo("losetup") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using Process p = Process.Start(start)!;
            string stdout = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty);
        }
    }
}
