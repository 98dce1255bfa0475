using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// lseek(SEEK_DATA) on a source file: where its next data lies, so holes of a sparse file are skipped
/// instead of read as zeros (reading 4 GiB of holes still costs seconds of page copying).
/// </summary>
internal static class SourceHoles
{
    private const int SeekData = 3;
    private const int Enxio = 6;

    /// <summary>The offset of the first data at or after <paramref name="offset"/>; the file size when only a hole follows; <paramref name="offset"/> when unknown.</summary>
    public static long NextData(SafeFileHandle handle, long offset, long sizeBytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return offset;
        }

        long next = LSeek((int)handle.DangerousGetHandle(), offset, SeekData);
        if (next >= 0)
        {
            return next;
        }

        return Marshal.GetLastPInvokeError() == Enxio ? sizeBytes : offset;
    }

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long LSeek(int fd, long offset, int whence);
}
