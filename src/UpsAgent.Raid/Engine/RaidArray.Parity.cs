using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Parity;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

// RAID 4/5/6 I/O. The stripe buffer holds one chunk per disk at disk * ChunkBytes; an operation works on
// a column range [lo, hi) of the chunk, which is all parity needs because P and Q are byte-wise.
public sealed partial class RaidArray
{
    // Member reads of one stripe, queued and then issued together (Storage/ConcurrentBlockReads).
    private BlockRead[]? _reads;
    private RaidMember[]? _readMembers;
    private IOException?[]? _readErrors;
    private BlockWrite[]? _writes;
    private RaidMember[]? _writeMembers;
    private IOException?[]? _writeErrors;

    private Span<byte> Block(int disk, int lo, int length) => _stripe.AsSpan((disk * Geometry.ChunkBytes) + lo, length);

    private void ParityRead(long offset, Span<byte> destination)
    {
        int c = Geometry.ChunkBytes;
        int dd = Geometry.DataDisks;
        int done = 0;
        while (done < destination.Length)
        {
            long pos = offset + done;
            long chunk = pos / c;
            int inChunk = (int)(pos % c);
            int n = Math.Min(destination.Length - done, c - inChunk);
            long stripe = chunk / dd;
            int d = (int)(chunk % dd);
            ParityRow row = Geometry.Row(stripe);
            int disk = row.DataDisk(d);
            long memberByte = (stripe * c) + inChunk;
            ThrowIfFailed();
            Span<byte> target = destination.Slice(done, n);
            if (!(Readable(disk, memberByte + n) && MemberRead(disk, memberByte, target)))
            {
                Array.Clear(_wanted);
                _wanted[d] = true;
                LoadStripe(stripe, row, inChunk, n, wantParity: false);
                Block(disk, inChunk, n).CopyTo(target);
            }

            done += n;
        }
    }

    private void ParityWrite(long offset, ReadOnlySpan<byte> source)
    {
        long stripeBytes = (long)Geometry.ChunkBytes * Geometry.DataDisks;
        int done = 0;
        while (done < source.Length)
        {
            long pos = offset + done;
            long stripe = pos / stripeBytes;
            int rel = (int)(pos - (stripe * stripeBytes));
            int n = (int)Math.Min(source.Length - done, stripeBytes - rel);
            WriteStripe(stripe, rel, source.Slice(done, n));
            done += n;
        }
    }

    // One stripe: read-modify-write when it reads fewer blocks, else reconstruct-write (which is also
    // the full-stripe write when every data block is overwritten, and the degraded path).
    private void WriteStripe(long stripe, int rel, ReadOnlySpan<byte> data)
    {
        int c = Geometry.ChunkBytes;
        ParityRow row = Geometry.Row(stripe);
        int first = rel / c;
        int last = (rel + data.Length - 1) / c;
        int lo = first == last ? rel % c : 0;
        int hi = first == last ? lo + data.Length : c;
        int length = hi - lo;
        long memberByte = (stripe * c) + lo;
        bool raid6 = row.QDisk >= 0;
        while (true)
        {
            ThrowIfFailed();
            int full = 0;
            bool touchedReadable = true;
            for (int d = first; d <= last; d++)
            {
                (int a, int b) = Touched(d, first, last, rel, data.Length);
                if (a <= lo && b >= hi)
                {
                    full++;
                }

                touchedReadable &= Readable(row.DataDisk(d), memberByte + length);
            }

            bool parityReadable = Readable(row.PDisk, memberByte + length) && (!raid6 || Readable(row.QDisk, memberByte + length));
            int rmwReads = (last - first + 1) + (raid6 ? 2 : 1);
            int rcwReads = row.DataCount - full;
            bool done = touchedReadable && parityReadable && rmwReads < rcwReads
                ? ReadModifyWrite(stripe, row, first, last, rel, lo, hi, data)
                : ReconstructWrite(stripe, row, first, last, rel, lo, hi, data);
            if (done)
            {
                return;
            }
        }
    }

    private (int A, int B) Touched(int d, int first, int last, int rel, int length)
    {
        int c = Geometry.ChunkBytes;
        int a = d == first ? rel % c : 0;
        int b = d == last ? ((rel + length - 1) % c) + 1 : c;
        return (a, b);
    }

    private bool ReadModifyWrite(long stripe, ParityRow row, int first, int last, int rel, int lo, int hi, ReadOnlySpan<byte> data)
    {
        int c = Geometry.ChunkBytes;
        long baseByte = stripe * c;
        int length = hi - lo;
        for (int d = first; d <= last; d++)
        {
            (int a, int b) = Touched(d, first, last, rel, data.Length);
            if (!MemberRead(row.DataDisk(d), baseByte + a, Block(row.DataDisk(d), a, b - a)))
            {
                return false;
            }
        }

        if (!MemberRead(row.PDisk, baseByte + lo, Block(row.PDisk, lo, length)) ||
            (row.QDisk >= 0 && !MemberRead(row.QDisk, baseByte + lo, Block(row.QDisk, lo, length))))
        {
            return false;
        }

        for (int d = first; d <= last; d++)
        {
            (int a, int b) = Touched(d, first, last, rel, data.Length);
            Span<byte> delta = Block(row.DataDisk(d), a, b - a);
            ReadOnlySpan<byte> fresh = data.Slice((d * c) + a - rel, b - a);
            XorParity.XorInto(delta, fresh);
            XorParity.XorInto(Block(row.PDisk, a, b - a), delta);
            if (row.QDisk >= 0)
            {
                PqSyndrome.MultiplyXorInto(Block(row.QDisk, a, b - a), delta, Gf256.Power(row.SlotOfData(d)));
            }

            MemberWrite(row.DataDisk(d), baseByte + a, fresh);
        }

        MemberWrite(row.PDisk, baseByte + lo, Block(row.PDisk, lo, length));
        if (row.QDisk >= 0)
        {
            MemberWrite(row.QDisk, baseByte + lo, Block(row.QDisk, lo, length));
        }

        ThrowIfFailed();
        return true;
    }

    private bool ReconstructWrite(long stripe, ParityRow row, int first, int last, int rel, int lo, int hi, ReadOnlySpan<byte> data)
    {
        int c = Geometry.ChunkBytes;
        long baseByte = stripe * c;
        int length = hi - lo;
        Array.Clear(_wanted);
        for (int d = 0; d < row.DataCount; d++)
        {
            bool touched = d >= first && d <= last;
            (int a, int b) = touched ? Touched(d, first, last, rel, data.Length) : (0, 0);
            _wanted[d] = !(touched && a <= lo && b >= hi);
        }

        if (!LoadStripe(stripe, row, lo, length, wantParity: false))
        {
            return false;
        }

        for (int d = first; d <= last; d++)
        {
            (int a, int b) = Touched(d, first, last, rel, data.Length);
            data.Slice((d * c) + a - rel, b - a).CopyTo(Block(row.DataDisk(d), a, b - a));
        }

        ComputeParity(row, lo, length);
        int writes = 0;
        for (int d = first; d <= last; d++)
        {
            (int a, int b) = Touched(d, first, last, rel, data.Length);
            writes = QueueWrite(writes, row.DataDisk(d), baseByte, a, b - a);
        }

        writes = QueueWrite(writes, row.PDisk, baseByte, lo, length);
        if (row.QDisk >= 0)
        {
            writes = QueueWrite(writes, row.QDisk, baseByte, lo, length);
        }

        WriteQueued(writes);
        ThrowIfFailed();
        return true;
    }

    // Queues the stripe buffer's column [lo, lo+length) of a disk for writing; a member that cannot take
    // writes is skipped, as MemberWrite does.
    private int QueueWrite(int count, int disk, long stripeByte, int lo, int length)
    {
        // First, as it may fail the member (the rebuild's write went wrong) and free the slot.
        WaitForRebuildWriteAt(disk, stripeByte + lo, length);
        NotePrefetchOverlap(stripeByte + lo, length);
        if (!Writable(disk))
        {
            return count;
        }

        _writes ??= new BlockWrite[Geometry.RaidDisks];
        _writeMembers ??= new RaidMember[Geometry.RaidDisks];
        RaidMember m = _slots[disk]!;
        _writes[count] = new BlockWrite(m.Device, m.DataOffsetBytes + stripeByte + lo, _stripe, (disk * Geometry.ChunkBytes) + lo, length);
        _writeMembers[count] = m;
        return count + 1;
    }

    private void WriteQueued(int count)
    {
        if (count == 0)
        {
            return;
        }

        _writeErrors ??= new IOException?[Geometry.RaidDisks];
        ConcurrentBlockWrites.Run(_writes!, count, _writeErrors);
        for (int i = 0; i < count; i++)
        {
            if (_writeErrors[i] is { } e)
            {
                _writeErrors[i] = null;
                FailLocked(_writeMembers![i], $"write error: {e.Message}");
            }
        }
    }

    // P (and Q) of the data blocks now in the stripe buffer, written to the parity disks' blocks.
    private void ComputeParity(ParityRow row, int lo, int length, Span<byte> p = default, Span<byte> q = default) =>
        ComputeParity(_stripe, Geometry.ChunkBytes, row, lo, length, p, q);

    // The same over any buffer that holds disk d's block at d * stride (a rebuild window is one).
    private void ComputeParity(byte[] buffer, int stride, ParityRow row, int lo, int length, Span<byte> p = default, Span<byte> q = default)
    {
        Span<int> offsets = _offsets.AsSpan(0, row.DataCount);
        for (int slot = 0; slot < row.DataCount; slot++)
        {
            offsets[slot] = (row.SlotDisk(slot) * stride) + lo;
        }

        Span<byte> pOut = p.IsEmpty ? buffer.AsSpan((row.PDisk * stride) + lo, length) : p;
        if (row.QDisk < 0)
        {
            XorParity.Compute(buffer, length, offsets, pOut);
        }
        else
        {
            PqSyndrome.Generate(buffer, length, offsets, pOut, q.IsEmpty ? buffer.AsSpan((row.QDisk * stride) + lo, length) : q);
        }
    }

    // Fills the stripe buffer's column [lo, lo+length) for the data blocks marked in _wanted (by data
    // index), plus P/Q when asked, reconstructing lost data from parity. False when a member failed
    // during the reads (the caller retries with the new state).
    private bool LoadStripe(long stripe, ParityRow row, int lo, int length, bool wantParity)
    {
        int c = Geometry.ChunkBytes;
        long memberByte = (stripe * c) + lo;
        while (true)
        {
            ThrowIfFailed();
            bool reconstruct = false;
            Array.Clear(_present);
            for (int d = 0; d < row.DataCount; d++)
            {
                int disk = row.DataDisk(d);
                _present[disk] = Readable(disk, memberByte + length);
                reconstruct |= _wanted[d] && !_present[disk];
            }

            _present[row.PDisk] = Readable(row.PDisk, memberByte + length);
            if (row.QDisk >= 0)
            {
                _present[row.QDisk] = Readable(row.QDisk, memberByte + length);
            }

            int reads = 0;
            for (int d = 0; d < row.DataCount; d++)
            {
                int disk = row.DataDisk(d);
                if (_present[disk] && (_wanted[d] || reconstruct))
                {
                    reads = QueueRead(reads, disk, memberByte, lo, length);
                }
            }

            if (wantParity || reconstruct)
            {
                if (_present[row.PDisk])
                {
                    reads = QueueRead(reads, row.PDisk, memberByte, lo, length);
                }

                if (row.QDisk >= 0 && _present[row.QDisk])
                {
                    reads = QueueRead(reads, row.QDisk, memberByte, lo, length);
                }
            }

            if (!ReadQueued(reads))
            {
                continue;
            }

            if (reconstruct)
            {
                ReconstructData(row, lo, length);
            }

            return true;
        }
    }

    private int QueueRead(int count, int disk, long memberByte, int lo, int length)
    {
        _reads ??= new BlockRead[Geometry.RaidDisks];
        RaidMember m = _slots[disk]!;
        _reads[count] = new BlockRead(m.Device, m.DataOffsetBytes + memberByte, _stripe, (disk * Geometry.ChunkBytes) + lo, length);
        _readMembers ??= new RaidMember[Geometry.RaidDisks];
        _readMembers[count] = m;
        return count + 1;
    }

    // The queued member reads run together; a member whose read failed is failed here, on the caller's
    // thread (which holds the lock), and false tells the caller to retry with the new state.
    private bool ReadQueued(int count)
    {
        if (count == 0)
        {
            return true;
        }

        _readErrors ??= new IOException?[Geometry.RaidDisks];
        ConcurrentBlockReads.Run(_reads!, count, _readErrors);
        bool ok = true;
        for (int i = 0; i < count; i++)
        {
            if (_readErrors[i] is { } e)
            {
                FailLocked(_readMembers![i], $"read error: {e.Message}");
                _readErrors[i] = null;
                ok = false;
            }
        }

        return ok;
    }

    private void ReconstructData(ParityRow row, int lo, int length) => ReconstructData(_stripe, Geometry.ChunkBytes, row, lo, length);

    // Rebuilds the data blocks of the disks not marked in _present, in a buffer holding disk d's block at d * stride.
    private void ReconstructData(byte[] buffer, int stride, ParityRow row, int lo, int length)
    {
        int c = stride;
        int lostX = -1;
        int lostY = -1;
        Span<int> slots = _offsets.AsSpan(0, row.DataCount);
        for (int slot = 0; slot < row.DataCount; slot++)
        {
            int disk = row.SlotDisk(slot);
            if (_present[disk])
            {
                slots[slot] = (disk * c) + lo;
            }
            else
            {
                slots[slot] = -1;
                if (lostX < 0)
                {
                    lostX = slot;
                }
                else if (lostY < 0)
                {
                    lostY = slot;
                }
                else
                {
                    throw Lost(row);
                }
            }
        }

        bool p = _present[row.PDisk];
        bool q = row.QDisk >= 0 && _present[row.QDisk];
        if (lostX < 0)
        {
            return;
        }

        Span<byte> BlockAt(int disk) => buffer.AsSpan((disk * c) + lo, length);
        Span<byte> dx = BlockAt(row.SlotDisk(lostX));
        if (lostY < 0 && p)
        {
            // D_x = P ⊕ the other data blocks; the P block joins the survivors as one more offset.
            slots[lostX] = (row.PDisk * c) + lo;
            XorParity.Compute(buffer, length, slots, dx);
            slots[lostX] = -1;
        }
        else if (lostY < 0 && q)
        {
            PqRecovery.RecoverDataAndP(buffer, length, slots, lostX, BlockAt(row.QDisk), dx, BlockAt(row.PDisk));
        }
        else if (lostY >= 0 && p && q)
        {
            PqRecovery.RecoverTwoData(
                buffer, length, slots, lostX, lostY, BlockAt(row.PDisk), BlockAt(row.QDisk), dx, BlockAt(row.SlotDisk(lostY)));
        }
        else
        {
            throw Lost(row);
        }
    }

    private ArrayFailedException Lost(ParityRow row) =>
        new($"array {_array.SetUuid}: stripe with P on role {row.PDisk} lost more blocks than RAID{(int)Geometry.Level} can rebuild");
}
