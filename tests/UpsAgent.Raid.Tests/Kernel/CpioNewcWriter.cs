using System.Globalization;
using System.Text;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// The "newc" cpio format the kernel unpacks as an initramfs (Documentation/driver-api/early-userspace/
/// buffer-format.rst): a 110-byte ASCII-hex header, the NUL-terminated name, data, each padded to 4 bytes,
/// and a TRAILER!!! entry. Written directly so the test needs neither root nor a cpio binary.
/// </summary>
internal sealed class CpioNewcWriter : IDisposable
{
    private const int DirectoryMode = 0x4000;
    private const int RegularMode = 0x8000;
    private const int SymlinkMode = 0xA000;
    private const int CharDeviceMode = 0x2000;

    private readonly Stream _out;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private int _inode = 1;

    public CpioNewcWriter(Stream output) => _out = output;

    public void AddDirectory(string path)
    {
        path = path.Trim('/');
        if (path.Length == 0 || _directories.Contains(path))
        {
            return;
        }

        string? parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent))
        {
            AddDirectory(parent);
        }

        _directories.Add(path);
        Entry(path, DirectoryMode | 0x1ed, 2, 0, 0, ReadOnlySpan<byte>.Empty);
    }

    public void AddFile(string path, ReadOnlySpan<byte> content, bool executable)
    {
        path = path.Trim('/');
        AddParent(path);
        Entry(path, RegularMode | (executable ? 0x1ed : 0x1a4), 1, 0, 0, content);
    }

    public void AddSymlink(string path, string target)
    {
        path = path.Trim('/');
        AddParent(path);
        Entry(path, SymlinkMode | 0x1ff, 1, 0, 0, Encoding.UTF8.GetBytes(target));
    }

    public void AddCharDevice(string path, int major, int minor)
    {
        path = path.Trim('/');
        AddParent(path);
        Entry(path, CharDeviceMode | 0x180, 1, major, minor, ReadOnlySpan<byte>.Empty);
    }

    public void Dispose()
    {
        Entry("TRAILER!!!", 0, 1, 0, 0, ReadOnlySpan<byte>.Empty, inode: 0);
        _out.Flush();
    }

    private void AddParent(string path)
    {
        string? parent = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(parent))
        {
            AddDirectory(parent);
        }
    }

    private void Entry(string name, int mode, int links, int rdevMajor, int rdevMinor, ReadOnlySpan<byte> data, int? inode = null)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new StringBuilder("070701");
        foreach (long field in new long[]
        {
            inode ?? _inode++, mode, 0, 0, links, 0, data.Length, 0, 0, rdevMajor, rdevMinor, nameBytes.Length + 1, 0,
        })
        {
            header.Append(field.ToString("x8", CultureInfo.InvariantCulture));
        }

        byte[] head = Encoding.ASCII.GetBytes(header.ToString());
        _out.Write(head);
        _out.Write(nameBytes);
        _out.WriteByte(0);
        Pad(head.Length + nameBytes.Length + 1);
        _out.Write(data);
        Pad(data.Length);
    }

    private void Pad(int written)
    {
        for (int i = written; i % 4 != 0; i++)
        {
            _out.WriteByte(0);
        }
    }
}
