using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// lseek(SEEK_DATA, SEEK_HOLE) on a source file: where its data lies, so holes of a sparse file are skipped
/// instead of read as zeros (reading 4 GiB of holes still costs seconds of page copying).
/// </summary>
internal static partial class SourceHoles
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int Enxio = 6;

    /// <summary>The offset of the first data at or after <paramref name="offset"/>; the file size when only a hole follows; <paramref name="offset"/> when unknown.</summary>
    public static long NextData(SafeFileHandle handle, long offset, long sizeBytes)
    {
        long next = LSeek(handle, offset, SeekData);
        if (next >= 0)
        {
            return next;
        }

        return Marshal.GetLastPInvokeError() == Enxio ? sizeBytes : offset;
    }

    /// <summary>The offset of the first hole at or after <paramref name="offset"/> (the file's end counts as one); <paramref name="sizeBytes"/> when unknown.</summary>
    public static long NextHole(SafeFileHandle handle, long offset, long sizeBytes)
    {
        long next = LSeek(handle, offset, SeekHole);
        return next >= 0 ? next : sizeBytes;
    }

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(SafeFileHandle fd, long offset, int whence);
}
