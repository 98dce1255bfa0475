using Microsoft.Win32.SafeHandles;
using UpsAgent.Posix;

namespace UpsAgent.Raid.Storage;

/// <summary>A member backed by a disk-image file (or a block device node) through positional I/O.</summary>
public sealed class ImageFileDevice : IBlockDevice
{
    private readonly SafeFileHandle _handle;

    // Image files (not device nodes) can be truncated or deleted under us (see CheckLength), and only
    // they can be copied by the kernel (TryCopyTo).
    private readonly bool _regularFile;

    private ImageFileDevice(string path, SafeFileHandle handle, long length, bool regularFile)
    {
        Name = path;
        _handle = handle;
        LengthBytes = length;
        _regularFile = regularFile;
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
        bool regularFile = true;
        if (length == 0 && path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            // Block device nodes report 0 through fstat; seeking to the end gives their size. (An image
            // file under /dev/shm reports its own size and stays a file.)
            length = DeviceSize.Of(handle);
            regularFile = false;
        }

        return new ImageFileDevice(path, handle, length, regularFile);
    }

    /// <summary>Creates a sparse image of <paramref name="lengthBytes"/>; refuses to overwrite an existing file.</summary>
    public static ImageFileDevice Create(string path, long lengthBytes)
    {
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(handle, lengthBytes);
        return new ImageFileDevice(path, handle, lengthBytes, regularFile: true);
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

    /// <summary>
    /// Copies <paramref name="length"/> bytes from <paramref name="offset"/> of this image to
    /// <paramref name="targetOffset"/> of <paramref name="target"/> inside the kernel (copy_file_range(2)): the
    /// bytes cross into user space not at all, instead of out with a read and back in with a write.
    /// False when the kernel cannot copy between these two (a block device node, different file systems
    /// without a common copy method): nothing was written, read and write instead. An
    /// <see cref="IOException"/> says the copy failed partway, on either side: the caller learns which by
    /// reading and writing the range itself.
    /// </summary>
    public bool TryCopyTo(long offset, ImageFileDevice target, long targetOffset, int length)
    {
        if (!_regularFile || !target._regularFile)
        {
            return false;
        }

        CheckRange(offset, length);
        target.CheckRange(targetOffset, length);

        // The kernel would grow a truncated target with a hole, as a write would (see CheckLength).
        target.CheckLength();
        long done = 0;
        while (done < length)
        {
            long n = KernelCopy.Copy(_handle, offset + done, target._handle, targetOffset + done, length - done);
            if (n < 0 && done == 0)
            {
                return false;
            }

            if (n <= 0)
            {
                throw new IOException($"{Name}: kernel copy to {target.Name} stopped at byte {offset + done} of {offset}..{offset + length}");
            }

            done += n;
        }

        return true;
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
