using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Recreates an image's tree under a directory: data, symlinks, device nodes, then owners (when privileged),
/// modes and times. Directory times are set last, after their contents stopped changing them.
/// </summary>
public static class IsoExtractor
{
    public static int Extract(IsoImage image, string destination, bool restoreOwners, CancellationToken cancellationToken = default) =>
        Extract(image, destination, restoreOwners, onDataBytes: null, cancellationToken);

    /// <summary>As above, reporting the file-data bytes copied so far after each file.</summary>
    public static int Extract(IsoImage image, string destination, bool restoreOwners, Action<long>? onDataBytes, CancellationToken cancellationToken = default)
    {
        long copied = 0;
        string root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        var directories = new List<(string Path, IsoEntry Entry)>();
        int count = 0;
        foreach ((string relative, IsoEntry entry) in image.Walk())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Name.Length == 0 || entry.Name is "." or ".." || entry.Name.Contains('/', StringComparison.Ordinal) || entry.Name.Contains('\0', StringComparison.Ordinal))
            {
                throw new IsoFormatException($"refusing to extract an entry named '{entry.Name}' under '{Path.GetDirectoryName(relative)}'");
            }

            string path = Path.Combine(root, relative);
            switch (entry.Kind)
            {
                case SourceKind.Directory:
                    Directory.CreateDirectory(path);
                    directories.Add((path, entry));
                    break;
                case SourceKind.Symlink:
                    File.CreateSymbolicLink(path, entry.SymlinkTarget ?? "");
                    break;
                case SourceKind.CharacterDevice or SourceKind.BlockDevice or SourceKind.Fifo or SourceKind.Socket:
                    PosixFiles.MakeNode(path, entry.Mode, entry.DeviceMajor, entry.DeviceMinor);
                    break;
                default:
                    using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    {
                        image.CopyFile(entry, output);
                    }

                    copied += entry.SizeBytes;
                    onDataBytes?.Invoke(copied);

                    break;
            }

            if (entry.Kind != SourceKind.Directory)
            {
                Finish(path, entry, restoreOwners);
            }

            count++;
        }

        for (int i = directories.Count - 1; i >= 0; i--)
        {
            Finish(directories[i].Path, directories[i].Entry, restoreOwners);
        }

        return count;
    }

    private static void Finish(string path, IsoEntry entry, bool restoreOwners)
    {
        if (restoreOwners)
        {
            PosixFiles.LChown(path, entry.Uid, entry.Gid);
        }

        if (entry.Kind != SourceKind.Symlink)
        {
            // After chown, which clears set-id bits.
            File.SetUnixFileMode(path, (UnixFileMode)(entry.Mode & 0xFFF));
        }

        PosixFiles.SetTimes(path, entry.AccessTime, entry.ModifyTime);
    }
}
