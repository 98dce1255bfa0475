using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Posix;

/// <summary>
/// copy_file_range(2): file data moved from one file to another inside the kernel, so it crosses the
/// user/kernel boundary not at all instead of twice (read into a buffer, write out of it). Same-file-system
/// copies become a page-cache copy, a reflink on file systems that share extents, or a server-side copy on NFS.
/// </summary>
public static partial class KernelCopy
{
    private const int Eintr = 4;
    private const int Eio = 5;
    private const int Efbig = 27;
    private const int Enospc = 28;
    private const int Erofs = 30;
    private const int Edquot = 122;

    /// <summary>
    /// Copies up to <paramref name="bytes"/> from <paramref name="sourceOffset"/> of one file to <paramref name="targetOffset"/>
    /// of another; neither file's own offset moves. Returns the bytes copied (0 when the source ends there), or
    /// -1 when the kernel cannot copy between these two files (different file systems before Linux 5.19 or
    /// without a common copy method, special files, an O_APPEND target): the caller then reads and writes.
    /// Errors of the data itself (I/O error, no space) are thrown: falling back would only meet them again.
    /// </summary>
    public static long Copy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long bytes)
    {
        while (true)
        {
            long inOffset = sourceOffset;
            long outOffset = targetOffset;
            nint n = CopyFileRange(source, ref inOffset, target, ref outOffset, (nuint)bytes, 0);
            if (n >= 0)
            {
                return n;
            }

            int errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Eintr:
                    continue;
                case Eio or Efbig or Enospc or Erofs or Edquot:
                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
                default:
                    // EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF, ETXTBSY, EPERM...: this pair of files cannot be copied by the kernel.
                    return -1;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static partial nint CopyFileRange(SafeFileHandle fdIn, ref long offIn, SafeFileHandle fdOut, ref long offOut, nuint len, uint flags);
}
