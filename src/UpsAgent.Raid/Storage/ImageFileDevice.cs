using Microsoft.Win32.SafeHandles;

namespace UpsAgent.Raid.Storage;

/// <summary>A member backed by a disk-image file (or a block device node) through positional I/O.</summary>
public sealed class ImageFileDevice : IBlockDevice
{
    private readonly SafeFileHandle _handle;

    private ImageFileDevice(string path, SafeFileHandle handle, long length)
    {
        Name = path;
        _handle = handle;
        LengthBytes = length;
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
        RandomAccess.Write(_handle, source, offset);
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Dispose() => _handle.Dispose();

    private void CheckRange(long offset, int count)
    {
        if (offset < 0 || offset + count > LengthBytes)
        {
            throw new IOException($"{Name}: I/O at bytes {offset}..{offset + count} is outside the member's {LengthBytes} bytes");
        }
    }
}
