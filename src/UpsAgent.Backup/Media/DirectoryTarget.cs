using System.Globalization;
using System.Text.RegularExpressions;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Media;

/// <summary>
/// A directory, typically the mount point of a USB disk, holding one image file per backup named
/// "VOLID-YYYYMMDD-HHMMSS.iso" (UTC recording time). Its capacity is the file system's; it is never closed.
/// Blanking removes only image files with that name pattern, so other files on the disk are left alone.
/// </summary>
public sealed partial class DirectoryTarget(string directory) : IMediaTarget
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string Name => Directory;

    /// <summary>Image files this target wrote, oldest first (names sort by time within a volume id).</summary>
    public List<string> Images()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new MediumException($"{Directory}: no such directory (is the disk mounted?)");
        }

        return System.IO.Directory.EnumerateFiles(Directory, "*.iso")
            .Where(p => ImageName().IsMatch(Path.GetFileName(p)))
            .OrderBy(p => File.GetLastWriteTimeUtc(p))
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
    }

    public MediumStatus Status()
    {
        var sessions = new List<MediumSession>();
        long used = 0;
        foreach (string image in Images())
        {
            using var stream = new FileStream(image, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            List<MediumSession> toc = ImageToc.Read(stream);
            long blocks = (stream.Length + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes;
            used += blocks;
            sessions.Add(new MediumSession(sessions.Count + 1, 0, blocks, toc.Count > 0 ? toc[^1].VolumeId : ""));
        }

        var drive = new DriveInfo(Directory);
        long capacity = drive.TotalSize / IsoFields.BlockBytes;
        long free = drive.AvailableFreeSpace / IsoFields.BlockBytes;
        return new MediumStatus(
            Directory, "directory", $"file system {drive.DriveFormat} at {drive.RootDirectory.FullName}", sessions.Count == 0 ? MediumState.Blank : MediumState.Appendable,
            Rewritable: true, capacity, used, free, sessions.Count == 0 ? "" : sessions[^1].VolumeId, sessions);
    }

    public void Blank(BlankMode mode, CancellationToken cancellationToken = default)
    {
        foreach (string image in Images())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mode == BlankMode.Full)
            {
                using var stream = new FileStream(image, FileMode.Open, FileAccess.Write, FileShare.None);
                byte[] zeros = new byte[1 << 20];
                for (long left = stream.Length; left > 0; left -= zeros.Length)
                {
                    stream.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
                }

                stream.Flush(flushToDisk: true);
            }

            File.Delete(image);
        }
    }

    public MultiSessionInfo? MultiSessionInfo() =>
        throw new MediumException($"{Directory}: a directory keeps one image file per backup, so there is no next session address; msinfo is for discs and virtual discs");

    public WrittenSession WriteSession(SourceNode root, IsoOptions options, Func<SourceNode, Stream> openFile, CancellationToken cancellationToken = default)
    {
        long free = Status().FreeBlocks;
        string name = string.Create(CultureInfo.InvariantCulture, $"{options.VolumeId}-{IsoFields.FromUnix(options.RecordingTime):yyyyMMdd-HHmmss}.iso");
        string path = Path.Combine(Directory, name);
        if (File.Exists(path))
        {
            throw new MediumException($"{path}: exists already; two backups with the same volume id and second");
        }

        string temp = path + ".partial";
        ManifestedImageResult result;
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = ManifestedImage.Write(root, options, output, openFile, cancellationToken, plan =>
                {
                    if (plan.VolumeBlocks > free)
                    {
                        throw new MediumException($"{Directory}: medium full: the image needs {plan.VolumeBlocks} blocks ({plan.VolumeBlocks * 2048L} bytes), the file system has {free * 2048L} bytes free");
                    }
                });
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return new WrittenSession(path, 0, result);
    }

    [GeneratedRegex(@"^[A-Z0-9_]{1,32}-\d{8}-\d{6}\.iso$")]
    private static partial Regex ImageName();
}
