using System.Buffers.Binary;
using System.Runtime.InteropServices;

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

    public static PosixStat LStat(string path)
    {
        byte[] buffer = new byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw new IOException($"statx {path}: errno {Marshal.GetLastPInvokeError()}");
        }

        ReadOnlySpan<byte> b = buffer;
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
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(b[132..]));
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

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
    private static extern int Lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int Utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, [In] long[] times, int flags);

    [DllImport("libc", EntryPoint = "mknod", SetLastError = true)]
    private static extern int Mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong dev);
}
