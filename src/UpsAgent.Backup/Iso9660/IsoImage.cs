using System.Buffers.Binary;
using System.Text;

namespace UpsAgent.Backup.Iso9660;

/// <summary>
/// Reads an ISO 9660 image: volume descriptors from block 16, directory records (§9.1), Rock Ridge
/// entries (SUSP/RRIP, following CE), the Joliet tree. Every field is checked against the volume bounds,
/// so a truncated or corrupted image gives an <see cref="IsoFormatException"/> naming the problem.
/// </summary>
public sealed class IsoImage
{
    private const int MaxDepth = 256;
    private const int MaxContinuations = 64;
    private readonly Stream _stream;
    private readonly long _imageBytes;
    private int _suspSkip;

    private IsoImage(Stream stream, long imageBytes, uint sessionStartLba)
    {
        _stream = stream;
        _imageBytes = imageBytes;
        SessionStartLba = sessionStartLba;
    }

    /// <summary>Where the descriptors were read: block 16 after this (0 = the image's own, or the newest session's copy).</summary>
    public uint SessionStartLba { get; }

    /// <summary>The primary descriptor's volume space size (§8.4.8), counted from <see cref="SessionStartLba"/>.</summary>
    public uint VolumeBlocks { get; private set; }

    /// <summary>First block after the volume: every extent must end before it (extents are absolute).</summary>
    public uint VolumeEndLba => SessionStartLba + VolumeBlocks;

    /// <summary>Volume creation date and time (§8.4.26), Unix seconds; 0 when not specified.</summary>
    public long RecordingTime { get; private set; }

    public string VolumeId { get; private set; } = "";

    public bool HasRockRidge { get; private set; }

    public bool HasJoliet => JolietRoot is not null;

    public IsoEntry Root { get; private set; } = null!;

    public IsoEntry? JolietRoot { get; private set; }

    public static IsoImage Open(Stream stream) => Open(stream, 0);

    /// <summary>Opens the session whose system area starts at <paramref name="sessionStartLba"/> (its descriptors at +16).</summary>
    public static IsoImage Open(Stream stream, uint sessionStartLba)
    {
        long length = stream.Length;
        var image = new IsoImage(stream, length, sessionStartLba);
        image.ReadDescriptors();
        return image;
    }

    private void ReadDescriptors()
    {
        uint first = SessionStartLba + 16;
        if (_imageBytes < (first + 1L) * IsoFields.BlockBytes)
        {
            throw new IsoFormatException($"image is {_imageBytes} bytes, too short for ISO 9660 (volume descriptors start at byte {(long)first * IsoFields.BlockBytes})");
        }

        byte[] block = new byte[IsoFields.BlockBytes];
        bool primary = false;
        for (uint lba = first; lba < first + 64; lba++)
        {
            if ((long)(lba + 1) * IsoFields.BlockBytes > _imageBytes)
            {
                throw new IsoFormatException($"image ends at block {lba} before the volume descriptor set terminator");
            }

            ReadBlock(lba, block);
            if (!block.AsSpan(1, 5).SequenceEqual("CD001"u8) || block[6] != 1)
            {
                throw new IsoFormatException($"block {lba}: no ISO 9660 volume descriptor (standard identifier '{Printable(block.AsSpan(1, 5))}', version {block[6]}; expected 'CD001', 1)");
            }

            byte type = block[0];
            if (type == 255)
            {
                break;
            }

            if (type == 1 && !primary)
            {
                ReadPrimary(lba, block);
                primary = true;
            }
            else if (type == 2 && primary && block[88] == 0x25 && block[89] == 0x2F && block[90] is 0x40 or 0x43 or 0x45)
            {
                JolietRoot = RootRecord(lba, block, joliet: true);
            }
        }

        if (!primary)
        {
            throw new IsoFormatException("no primary volume descriptor before the set terminator");
        }

        HasRockRidge = DetectRockRidge();
    }

    private void ReadPrimary(uint lba, byte[] block)
    {
        if (!IsoFields.TryRead733(block.AsSpan(80), out uint blocks))
        {
            throw new IsoFormatException($"block {lba}: corrupt primary volume descriptor: volume space size halves disagree ({BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(80))} / {BinaryPrimitives.ReadUInt32BigEndian(block.AsSpan(84))})");
        }

        if (!IsoFields.TryRead723(block.AsSpan(128), out ushort blockSize) || blockSize != IsoFields.BlockBytes)
        {
            throw new IsoFormatException($"block {lba}: corrupt primary volume descriptor: logical block size {BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(128))}, expected 2048");
        }

        long endBytes = ((long)SessionStartLba + blocks) * IsoFields.BlockBytes;
        if (endBytes > _imageBytes)
        {
            string start = SessionStartLba == 0 ? "" : $" from block {SessionStartLba}";
            throw new IsoFormatException($"image is truncated: the primary volume descriptor at block {lba} states {blocks} blocks{start} (up to byte {endBytes}) but the image holds {_imageBytes} bytes");
        }

        if (blocks < 18)
        {
            throw new IsoFormatException($"block {lba}: corrupt primary volume descriptor: volume space size {blocks} blocks is smaller than the descriptors themselves");
        }

        VolumeBlocks = blocks;
        VolumeId = Encoding.ASCII.GetString(block, 40, 32).TrimEnd(' ', '\0');
        RecordingTime = IsoFields.ReadLongDate(block.AsSpan(813, 17));
        Root = RootRecord(lba, block, joliet: false);
    }

    private IsoEntry RootRecord(uint lba, byte[] block, bool joliet)
    {
        IsoEntry? root = ParseRecord(block.AsSpan(156, 34), joliet, $"block {lba} root directory record", rockRidge: false, keepDots: true);
        if (root is null || root.Kind != SourceKind.Directory)
        {
            throw new IsoFormatException($"block {lba}: the root directory record is not a directory");
        }

        root.Name = "";
        return root;
    }

    /// <summary>SUSP 5.3: Rock Ridge is in use when the root's "." record starts with SP.</summary>
    private bool DetectRockRidge()
    {
        (uint lba, uint bytes) = Root.Extents[0];
        byte[] block = new byte[IsoFields.BlockBytes];
        ReadBlock(lba, block);
        int len = block[0];
        if (len < 34 || bytes == 0)
        {
            throw new IsoFormatException($"block {lba}: the root directory does not start with a '.' record");
        }

        int su = 34;
        if (len > IsoFields.BlockBytes)
        {
            throw new IsoFormatException($"block {lba}: corrupt root '.' record length {len}");
        }

        if (len >= su + 7 && block[su] == 'S' && block[su + 1] == 'P' && block[su + 4] == 0xBE && block[su + 5] == 0xEF)
        {
            _suspSkip = block[su + 6];
            // The root's own attributes live in its "." record.
            IsoEntry? dot = ParseRecord(block.AsSpan(0, len), joliet: false, $"block {lba} root '.' record", rockRidge: true, keepDots: true);
            if (dot is not null)
            {
                Root.Mode = dot.Mode;
                Root.Uid = dot.Uid;
                Root.Gid = dot.Gid;
                Root.ModifyTime = dot.ModifyTime;
                Root.AccessTime = dot.AccessTime;
                Root.ChangeTime = dot.ChangeTime;
                Root.HasRockRidge = true;
            }

            return true;
        }

        return false;
    }

    /// <summary>Lists one directory, "." and ".." left out; multi-extent sections are joined into one entry.</summary>
    public List<IsoEntry> ReadDirectory(IsoEntry directory, bool joliet = false)
    {
        (uint lba, uint bytes) = directory.Extents[0];
        CheckRange(lba, bytes, $"directory '{directory.Name}'");
        byte[] data = new byte[(bytes + IsoFields.BlockBytes - 1) / IsoFields.BlockBytes * IsoFields.BlockBytes];
        _stream.Position = (long)lba * IsoFields.BlockBytes;
        _stream.ReadExactly(data);
        var entries = new List<IsoEntry>();
        IsoEntry? pending = null;
        int at = 0;
        while (at < bytes)
        {
            int len = data[at];
            if (len == 0)
            {
                at = ((at / IsoFields.BlockBytes) + 1) * IsoFields.BlockBytes;
                continue;
            }

            string where = $"directory '{directory.Name}' at block {lba + (at / IsoFields.BlockBytes)} offset {at % IsoFields.BlockBytes}";
            if (len < 34 || (at % IsoFields.BlockBytes) + len > IsoFields.BlockBytes)
            {
                throw new IsoFormatException($"{where}: corrupt directory record length {len}");
            }

            IsoEntry? entry = ParseRecord(data.AsSpan(at, len), joliet, where, rockRidge: HasRockRidge && !joliet, keepDots: false);
            at += len;
            if (entry is null)
            {
                continue;
            }

            if (pending is not null && pending.Name == entry.Name && (pending.FileFlags & 0x80) != 0)
            {
                pending.Extents.AddRange(entry.Extents);
                pending.FileFlags = entry.FileFlags;
                continue;
            }

            if (!entry.Relocated)
            {
                entries.Add(entry);
            }

            pending = entry;
        }

        return entries;
    }

    /// <summary>Every entry below the root, depth first, with its path relative to the root ("a/b/c").</summary>
    public IEnumerable<(string Path, IsoEntry Entry)> Walk(bool joliet = false)
    {
        IsoEntry root = joliet ? JolietRoot ?? throw new IsoFormatException("image has no Joliet tree") : Root;
        var visited = new HashSet<uint> { root.Extents[0].Lba };
        var stack = new Stack<(string Prefix, IsoEntry Dir, int Depth)>();
        stack.Push(("", root, 1));
        while (stack.Count > 0)
        {
            (string prefix, IsoEntry dir, int depth) = stack.Pop();
            List<IsoEntry> children = ReadDirectory(dir, joliet);
            var subdirs = new List<(string, IsoEntry, int)>();
            foreach (IsoEntry child in children)
            {
                string path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
                yield return (path, child);
                if (child.Kind == SourceKind.Directory)
                {
                    if (depth >= MaxDepth || !visited.Add(child.Extents[0].Lba))
                    {
                        throw new IsoFormatException($"directory '{path}' loops back to an ancestor or nests deeper than {MaxDepth} levels");
                    }

                    subdirs.Add((path, child, depth + 1));
                }
            }

            for (int i = subdirs.Count - 1; i >= 0; i--)
            {
                stack.Push(subdirs[i]);
            }
        }
    }

    public void CopyFile(IsoEntry file, Stream destination)
    {
        byte[] buffer = new byte[1 << 20];
        foreach ((uint lba, uint bytes) in file.Extents)
        {
            CheckRange(lba, bytes, $"file '{file.Name}'");
            _stream.Position = (long)lba * IsoFields.BlockBytes;
            long left = bytes;
            while (left > 0)
            {
                int n = (int)Math.Min(buffer.Length, left);
                _stream.ReadExactly(buffer, 0, n);
                destination.Write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /// <summary>True when <paramref name="other"/> holds exactly the file's bytes (it is read to its end or the first difference).</summary>
    public bool ContentEquals(IsoEntry file, Stream other)
    {
        byte[] mine = new byte[1 << 16];
        byte[] theirs = new byte[1 << 16];
        foreach ((uint lba, uint bytes) in file.Extents)
        {
            CheckRange(lba, bytes, $"file '{file.Name}'");
            long left = bytes;
            long position = (long)lba * IsoFields.BlockBytes;
            while (left > 0)
            {
                int n = (int)Math.Min(mine.Length, left);
                _stream.Position = position;
                _stream.ReadExactly(mine, 0, n);
                if (other.ReadAtLeast(theirs, n, throwOnEndOfStream: false) != n || !mine.AsSpan(0, n).SequenceEqual(theirs.AsSpan(0, n)))
                {
                    return false;
                }

                position += n;
                left -= n;
            }
        }

        return other.Read(theirs, 0, 1) == 0;
    }

    private void CheckRange(uint lba, uint bytes, string what)
    {
        long end = (long)lba * IsoFields.BlockBytes + bytes;
        if (lba >= VolumeEndLba && bytes > 0 || end > (long)VolumeEndLba * IsoFields.BlockBytes)
        {
            throw new IsoFormatException($"{what}: extent at block {lba} of {bytes} bytes lies beyond the volume end (block {VolumeEndLba})");
        }
    }

    private IsoEntry? ParseRecord(ReadOnlySpan<byte> rec, bool joliet, string where, bool rockRidge, bool keepDots)
    {
        if (!IsoFields.TryRead733(rec[2..], out uint extent) || !IsoFields.TryRead733(rec[10..], out uint dataLength))
        {
            throw new IsoFormatException($"{where}: corrupt directory record (extent or data length halves disagree)");
        }

        int lenFi = rec[32];
        if (lenFi == 0 || 33 + lenFi > rec.Length)
        {
            throw new IsoFormatException($"{where}: corrupt directory record (identifier length {lenFi} in a record of {rec.Length} bytes)");
        }

        ReadOnlySpan<byte> id = rec.Slice(33, lenFi);
        if (lenFi == 1 && id[0] is 0 or 1 && !keepDots)
        {
            return null;
        }

        byte flags = rec[25];
        bool directory = (flags & 0x02) != 0;
        var entry = new IsoEntry
        {
            Name = joliet ? StripVersion(Encoding.BigEndianUnicode.GetString(id)) : StripIsoName(Encoding.ASCII.GetString(id), directory),
            Kind = directory ? SourceKind.Directory : SourceKind.File,
            FileFlags = flags,
            Mode = directory ? 0x4000u | 0x16Du : 0x8000u | 0x124u,
            ModifyTime = IsoFields.ReadShortDate(rec[18..]),
        };
        entry.AccessTime = entry.ChangeTime = entry.ModifyTime;
        entry.Extents.Add((extent, dataLength));
        if (rockRidge)
        {
            int su = 33 + lenFi + (lenFi % 2 == 0 ? 1 : 0) + _suspSkip;
            if (su < rec.Length)
            {
                new RockRidge.RockRidgeParser(this, entry, where).Parse(rec[su..]);
            }
        }

        return entry;
    }

    internal byte[] ReadContinuation(uint lba, uint offset, uint length, string where)
    {
        if (lba >= VolumeEndLba || offset + (long)length > IsoFields.BlockBytes)
        {
            throw new IsoFormatException($"{where}: SUSP CE area (block {lba}, offset {offset}, {length} bytes) lies outside one block of the volume");
        }

        byte[] block = new byte[IsoFields.BlockBytes];
        ReadBlock(lba, block);
        return block.AsSpan((int)offset, (int)length).ToArray();
    }

    internal static int MaxContinuationHops => MaxContinuations;

    private void ReadBlock(uint lba, byte[] block)
    {
        _stream.Position = (long)lba * IsoFields.BlockBytes;
        _stream.ReadExactly(block);
    }

    private static string StripVersion(string name)
    {
        int semicolon = name.LastIndexOf(';');
        return semicolon > 0 ? name[..semicolon] : name;
    }

    private static string StripIsoName(string id, bool directory)
    {
        if (directory)
        {
            return id;
        }

        string name = StripVersion(id);
        return name.EndsWith('.') ? name[..^1] : name;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes)
        {
            sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return sb.ToString();
    }
}
