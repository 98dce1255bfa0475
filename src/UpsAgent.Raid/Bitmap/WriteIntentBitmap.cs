using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Bitmap;

/// <summary>
/// The write-intent bitmap of one array in memory: one bit per bitmap chunk of the sync domain (member
/// sectors for RAID 1/4/5/6, array sectors for RAID10). A bit is set, and must reach every member,
/// before a write into its chunk; it is cleared lazily, once the writes there are flushed and the chunk
/// has been idle for the daemon sleep (md-bitmap.c: startwrite, endwrite, daemon_work).
/// </summary>
public sealed class WriteIntentBitmap
{
    private readonly byte[] _bits;
    private readonly bool[] _unflushed;
    private readonly DateTimeOffset[] _lastWrite;

    private WriteIntentBitmap(BitmapSuperblock header, byte[] bits)
    {
        Header = header;
        _bits = bits;
        _unflushed = new bool[header.Bits];
        _lastWrite = new DateTimeOffset[header.Bits];
    }

    public BitmapSuperblock Header { get; }

    public long ChunkSectors => Header.ChunkBytes / 512;

    public long Bits => Header.Bits;

    /// <summary>Bytes of the on-disk area: header plus bits, rounded up to a sector.</summary>
    public int AreaBytes => (BitmapSuperblock.StructBytes + _bits.Length + 511) / 512 * 512;

    public long DirtyCount
    {
        get
        {
            long n = 0;
            for (long i = 0; i < Bits; i++)
            {
                n += IsSet(i) ? 1 : 0;
            }

            return n;
        }
    }

    public static WriteIntentBitmap Create(MdUuid uuid, long syncSectors, uint chunkBytes, long reservedSectors, ulong events)
    {
        var header = new BitmapSuperblock
        {
            Uuid = uuid,
            SyncSectors = (ulong)syncSectors,
            ChunkBytes = chunkBytes,
            Events = events,
            EventsCleared = events,
            SectorsReserved = (uint)reservedSectors,
        };
        var bitmap = new WriteIntentBitmap(header, new byte[(header.Bits + 7) / 8]);
        if (bitmap.AreaBytes > reservedSectors * 512)
        {
            throw new ArgumentException($"{header.Bits} bitmap bits do not fit in {reservedSectors} reserved sectors");
        }

        return bitmap;
    }

    /// <summary>Reads the header and bits from a member's bitmap area; null with a reason when md would refuse it.</summary>
    public static WriteIntentBitmap? Load(ReadOnlySpan<byte> area, MdUuid arrayUuid, long expectedSyncSectors, out string problem)
    {
        BitmapSuperblock? header = BitmapSuperblock.TryParse(area, arrayUuid, out problem);
        if (header is null)
        {
            return null;
        }

        if ((long)header.SyncSectors < expectedSyncSectors)
        {
            problem = $"bitmap covers {header.SyncSectors} sectors, the array needs {expectedSyncSectors}";
            return null;
        }

        int bytes = (int)((header.Bits + 7) / 8);
        if (area.Length < BitmapSuperblock.StructBytes + bytes)
        {
            problem = $"bitmap area is truncated: {header.Bits} bits need {BitmapSuperblock.StructBytes + bytes} bytes, have {area.Length}";
            return null;
        }

        return new WriteIntentBitmap(header, area.Slice(BitmapSuperblock.StructBytes, bytes).ToArray());
    }

    public bool IsSet(long bit) => (_bits[bit >> 3] & (1 << (int)(bit & 7))) != 0;

    /// <summary>
    /// Notes a write to sectors [start, end) of the sync domain. True when a bit was newly set: the
    /// bitmap must then be written and flushed on the members before the data goes out.
    /// </summary>
    public bool MarkForWrite(long startSector, long endSector, DateTimeOffset now)
    {
        bool changed = false;
        for (long bit = startSector / ChunkSectors; bit < Bits && bit * ChunkSectors < endSector; bit++)
        {
            changed |= !IsSet(bit);
            Set(bit, true);
            _unflushed[bit] = true;
            _lastWrite[bit] = now;
        }

        return changed;
    }

    /// <summary>Every write so far has been flushed to the members: their chunks may be cleared once idle.</summary>
    public void DataFlushed() => Array.Clear(_unflushed);

    /// <summary>
    /// Clears the bits of flushed chunks idle for the daemon sleep (all flushed ones when
    /// <paramref name="all"/>). True when a bit changed and the area should be written.
    /// </summary>
    public bool ClearIdle(DateTimeOffset now, bool all)
    {
        var idle = TimeSpan.FromSeconds(Header.DaemonSleepSeconds);
        bool changed = false;
        for (long bit = 0; bit < Bits; bit++)
        {
            if (IsSet(bit) && !_unflushed[bit] && (all || now - _lastWrite[bit] >= idle))
            {
                Set(bit, false);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Marks every chunk dirty (a stale or missing bitmap: resync everything).</summary>
    public void SetAll()
    {
        for (long bit = 0; bit < Bits; bit++)
        {
            Set(bit, true);
        }
    }

    /// <summary>Whether any chunk overlapping sync-domain sectors [start, end) has its bit set.</summary>
    public bool AnyDirty(long startSector, long endSector)
    {
        for (long bit = startSector / ChunkSectors; bit < Bits && bit * ChunkSectors < endSector; bit++)
        {
            if (IsSet(bit))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Chunk-aligned sector ranges [start, end) of the sync domain whose bits are set, merged.</summary>
    public IReadOnlyList<(long Start, long End)> DirtyRanges()
    {
        var ranges = new List<(long Start, long End)>();
        long sync = (long)Header.SyncSectors;
        for (long bit = 0; bit < Bits; bit++)
        {
            if (!IsSet(bit))
            {
                continue;
            }

            long start = bit * ChunkSectors;
            long end = Math.Min(sync, start + ChunkSectors);
            if (ranges.Count > 0 && ranges[^1].End == start)
            {
                ranges[^1] = (ranges[^1].Start, end);
            }
            else
            {
                ranges.Add((start, end));
            }
        }

        return ranges;
    }

    /// <summary>Clears the bits of a resynced range (whole chunks inside it only).</summary>
    public void ClearRange(long startSector, long endSector)
    {
        for (long bit = startSector / ChunkSectors; bit < Bits && bit * ChunkSectors < endSector; bit++)
        {
            if (bit * ChunkSectors >= startSector && Math.Min((long)Header.SyncSectors, (bit + 1) * ChunkSectors) <= endSector && !_unflushed[bit])
            {
                Set(bit, false);
            }
        }
    }

    /// <summary>Unions another copy's bits into this one (members may disagree after a crash).</summary>
    public void Merge(WriteIntentBitmap other)
    {
        for (int i = 0; i < Math.Min(_bits.Length, other._bits.Length); i++)
        {
            _bits[i] |= other._bits[i];
        }
    }

    /// <summary>The on-disk area: header then bits (little-endian bit order, set_bit_le), zero-padded.</summary>
    public void WriteArea(Span<byte> area)
    {
        area[..AreaBytes].Clear();
        Header.WriteTo(area);
        _bits.CopyTo(area[BitmapSuperblock.StructBytes..]);
    }

    private void Set(long bit, bool value)
    {
        byte mask = (byte)(1 << (int)(bit & 7));
        if (value)
        {
            _bits[bit >> 3] |= mask;
        }
        else
        {
            _bits[bit >> 3] &= (byte)~mask;
        }
    }
}
