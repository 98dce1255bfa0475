using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Backup.Posix;

/// <summary>
/// A source file opened for reading with open(2) alone. FileStream adds an fstat, a flock and an fadvise to
/// every open, which is a third of the system calls when a backup holds thousands of small files; the
/// writer needs none of them, only the descriptor (for <see cref="UpsAgent.Posix.KernelCopy"/> and SEEK_DATA) and pread.
/// O_NOFOLLOW: a file swapped for a symlink after the snapshot is refused, not followed somewhere else;
/// O_NONBLOCK: a file swapped for a FIFO does not hang the backup (it reads as a short file).
/// </summary>
public sealed partial class SourceFileStream : Stream
{
    private const int ORdOnly = 0;
    private const int ONonBlock = 0x800;
    private const int ONoFollow = 0x20000;
    private const int OCloExec = 0x80000;
    private const int Eperm = 1;
    private const int Enoent = 2;
    private const int Eintr = 4;
    private const int Eacces = 13;
    private const int Eloop = 40;

    private readonly string _path;
    private long _position;

    private SourceFileStream(SafeFileHandle handle, string path)
    {
        Handle = handle;
        _path = path;
    }

    public SafeFileHandle Handle { get; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => RandomAccess.GetLength(Handle);

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a file position is not negative");
    }

    public static SourceFileStream Open(string path)
    {
        int fd;
        do
        {
            fd = OpenFile(path, ORdOnly | ONonBlock | ONoFollow | OCloExec, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Eintr);

        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string message = $"open {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno switch
            {
                Eacces or Eperm => new UnauthorizedAccessException(message),
                Enoent => new FileNotFoundException(message, path),
                Eloop => new IOException($"open {path}: it is a symbolic link now, not the regular file the snapshot saw"),
                _ => new IOException(message),
            };
        }

        return new SourceFileStream(new SafeFileHandle((nint)fd, ownsHandle: true), path);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            nint n = PRead(Handle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, _position);
            if (n >= 0)
            {
                _position += n;
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Eintr)
            {
                throw new IOException($"read {_path}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("a source file is read only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a source file is read only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Handle.Dispose();
        }

        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PRead(SafeFileHandle fd, ref byte buffer, nuint count, long offset);
}
