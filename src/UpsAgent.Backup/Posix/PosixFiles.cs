using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Backup.Posix;

/// <summary>
/// The few POSIX calls .NET lacks: statx without following links (owner, mode, times, device numbers),
/// lchown, utimensat on links, mknod. statx has one layout on every architecture, unlike struct stat.
/// </summary>
public static partial class PosixFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBytes = 256;
    private const int ODirectory = 0x10000;
    private const int ONoFollow = 0x20000;
    private const int OCloExec = 0x80000;
    private const int Eacces = 13;

    public static PosixStat LStat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxBytes];
        if (StatxAt(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            throw new IOException($"statx {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        return Parse(buffer);
    }

    /// <summary>
    /// statx of <paramref name="name"/> inside an open directory, links not followed: the kernel resolves one
    /// component instead of the whole path again, which is most of the cost of scanning a large tree.
    /// </summary>
    public static PosixStat LStatAt(SafeFileHandle directory, string name, string pathForErrors)
    {
        Span<byte> buffer = stackalloc byte[StatxBytes];
        if (StatxAt(directory, name, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            throw new IOException($"statx {pathForErrors}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return Parse(buffer);
    }

    /// <summary>A directory opened for *at() calls (O_DIRECTORY, links not followed).</summary>
    public static SafeFileHandle OpenDirectory(string path)
    {
        int fd = OpenPath(path, ODirectory | ONoFollow | OCloExec, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string message = $"open directory {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno == Eacces ? new UnauthorizedAccessException(message) : new IOException(message);
        }

        return new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    private static PosixStat Parse(ReadOnlySpan<byte> b)
    {
        return new PosixStat(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(b[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(b[24..]),
            NLink: BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
            SizeBytes: BinaryPrimitives.ReadInt64LittleEndian(b[40..]),
            AccessTime: BinaryPrimitives.ReadInt64LittleEndian(b[64..]),
            ChangeTime: BinaryPrimitives.ReadInt64LittleEndian(b[96..]),
            ModifyTime: BinaryPrimitives.ReadInt64LittleEndian(b[112..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(b[128..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(b[132..]),
            AllocatedBytes: BinaryPrimitives.ReadInt64LittleEndian(b[48..]) * 512);
    }

    public static void LChown(string path, uint uid, uint gid)
    {
        if (Lchown(path, uid, gid) != 0)
        {
            throw new IOException($"lchown {path} {uid}:{gid}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sets access and modification times of the path itself (links too), in whole seconds.</summary>
    public static void SetTimes(string path, long accessTime, long modifyTime)
    {
        long[] times = [accessTime, 0, modifyTime, 0];
        if (Utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) != 0)
        {
            throw new IOException($"utimensat {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static void MakeNode(string path, uint posixMode, uint major, uint minor)
    {
        ulong dev = DeviceNumber.Make(major, minor);
        if (Mknod(path, posixMode, dev) != 0)
        {
            throw new IOException($"mknod {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatxAt(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatxAt(SafeFileHandle dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenPath(string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int Lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int Utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, [In] long[] times, int flags);

    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    private static extern int Mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong dev);
}
