using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Posix;

/// <summary>
/// The size of a block device node: fstat(2) reports 0 for one, and lseek(2) to its end gives its size
/// (FileStream answers from fstat, so it says 0 too). The descriptor's own offset moves, which positional
/// I/O never looks at.
/// </summary>
public static partial class DeviceSize
{
    private const int SeekEnd = 2;

    public static long Of(SafeFileHandle handle)
    {
        long end = Lseek(handle, 0, SeekEnd);
        if (end < 0)
        {
            throw new IOException($"lseek to the end: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return end;
    }

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Lseek(SafeFileHandle fd, long offset, int whence);
}
