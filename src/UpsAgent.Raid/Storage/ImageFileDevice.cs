using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Raid.Storage;

/// <summary>A member backed by a disk-image file (or a block device node) through positional I/O.</summary>
public sealed class ImageFileDevice : IBlockDevice
{
    private readonly SafeFileHandle _handle;

    // Image files (not device nodes) can be truncated or deleted under us; see CheckStillThere.
    private readonly bool _regularFile;

    private ImageFileDevice(string path, SafeFileHandle handle, long length)
    {
        Name = path;
        _handle = handle;
        LengthBytes = length;
        _regularFile = !path.StartsWith("/dev/", StringComparison.Ordinal);
    }

    public string Name { get; }

    public long LengthBytes { get; }

    public static ImageFileDevice Open(string path, bool writable)
    {
        SafeFileHandle handle = File.OpenHandle(
            path,
            FileMode.Open,
            writable ? FileAccess.ReadWrite : FileAccess.Read,
            writable ? FileShare.Read : FileShare.ReadWrite);
        long length = RandomAccess.GetLength(handle);
        if (length == 0 && path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            // Block device nodes report 0 through fstat; seeking to the end gives their size.
            using var stream = new FileStream(handle, writable ? FileAccess.ReadWrite : FileAccess.Read, 0);
            length = stream.Seek(0, SeekOrigin.End);
        }

        return new ImageFileDevice(path, handle, length);
    }

    /// <summary>Creates a sparse image of <paramref name="lengthBytes"/>; refuses to overwrite an existing file.</summary>
    public static ImageFileDevice Create(string path, long lengthBytes)
    {
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, lengthBytes);
        return new ImageFileDevice(path, handle, lengthBytes);
    }

    public void Read(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(_handle, destination[done..], offset + done);
            if (n == 0)
            {
                throw new IOException($"{Name}: unexpected end of file at byte {offset + done} (length {LengthBytes})");
            }

            done += n;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        CheckLength();
        RandomAccess.Write(_handle, source, offset);
    }

    public void Flush()
    {
        CheckLength();
        RandomAccess.FlushToDisk(_handle);
        if (_regularFile && !File.Exists(Name))
        {
            // The open handle still reaches the unlinked inode, so writes "succeed" into a file no
            // one will ever assemble again: the member is gone, and a flush must not say otherwise.
            throw new IOException($"{Name}: the image file was deleted or moved away while in use");
        }
    }

    public void Dispose() => _handle.Dispose();

    // A write past the end of a truncated image would grow it again with a hole that reads back as
    // zeros, i.e. wrong data: a member that shrank has failed.
    private void CheckLength()
    {
        if (_regularFile)
        {
            long now = RandomAccess.GetLength(_handle);
            if (now < LengthBytes)
            {
                throw new IOException($"{Name}: the image shrank to {now} bytes while in use (was {LengthBytes})");
            }
        }
    }

    private void CheckRange(long offset, int count)
    {
        if (offset < 0 || offset + count > LengthBytes)
        {
            throw new IOException($"{Name}: I/O at bytes {offset}..{offset + count} is outside the member's {LengthBytes} bytes");
        }
    }
}
