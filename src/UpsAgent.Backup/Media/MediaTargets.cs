using UpsAgent.Core.Processes;

namespace UpsAgent.Backup.Media;

/// <summary>
/// Which kind of target a command-line address names: "/dev/..." or "stdio:PATH" is a drive run through
/// xorriso, an existing directory is a directory target, anything else an image file (virtual disc).
/// </summary>
public static class MediaTargets
{
    public static IMediaTarget Open(string address, IProcessRunner processes, string xorrisoPath = OpticalDrive.DefaultXorriso)
    {
        if (address.StartsWith("/dev/", StringComparison.Ordinal) || address.StartsWith("stdio:", StringComparison.Ordinal))
        {
            return new OpticalDrive(address, processes, xorrisoPath);
        }

        return Directory.Exists(address) ? new DirectoryTarget(address) : VirtualDisc.Open(address);
    }
}
