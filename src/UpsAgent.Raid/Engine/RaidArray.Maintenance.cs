using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Engine;

// Rebuild onto recovering members and scrub (check/repair), one stripe or chunk at a time.
public sealed partial class RaidArray
{
    /// <summary>
    /// Rebuilds every recovering member from the others. The member's recovery_offset is written to the
    /// superblocks every <paramref name="checkpointBytes"/>, so an interrupted rebuild resumes there.
    /// Returns the number of members brought in sync.
    /// </summary>
    public int Rebuild(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken, long checkpointBytes = 16L << 20)
    {
        lock (_gate)
        {
            int rebuilt = 0;
            for (int slot = 0; slot < _slots.Length; slot++)
            {
                RaidMember? m = _slots[slot];
                if (m is null || m.State != MemberState.Recovering)
                {
                    continue;
                }

                ThrowIfFailed();
                if (RebuildMember(m, slot, progress, cancellationToken, Math.Max(1, checkpointBytes / 512)))
                {
                    rebuilt++;
                }
            }

            return rebuilt;
        }
    }

    private bool RebuildMember(RaidMember m, int slot, IProgress<RebuildProgress>? progress, CancellationToken ct, long checkpointSectors)
    {
        long total = Geometry.MemberSectors;
        long lastCheckpoint = m.RecoveredSectors;
        if (Geometry.IsParity)
        {
            int c = Geometry.ChunkBytes;
            for (long stripe = m.RecoveredSectors / Geometry.ChunkSectors; stripe * Geometry.ChunkSectors < total; stripe++)
            {
                ParityRow row = Geometry.Row(stripe);
                Array.Fill(_wanted, true);
                LoadStripe(stripe, row, 0, c, wantParity: false);
                if (slot == row.PDisk || slot == row.QDisk)
                {
                    ComputeParity(row, 0, c);
                }

                MemberWrite(slot, stripe * c, Block(slot, 0, c));
                if (!Advance(m, (stripe + 1) * Geometry.ChunkSectors, ref lastCheckpoint, checkpointSectors, progress, ct))
                {
                    return false;
                }
            }
        }
        else if (Geometry.Level == RaidLevel.Raid1)
        {
            byte[] buffer = new byte[MirrorPieceBytes];
            for (long sector = m.RecoveredSectors; sector < total;)
            {
                int n = (int)Math.Min(MirrorPieceBytes, (total - sector) * 512);
                Span<byte> piece = buffer.AsSpan(0, n);
                ReadFromOtherCopy(slot, sector * 512, piece);
                MemberWrite(slot, sector * 512, piece);
                sector += n / 512;
                if (!Advance(m, sector, ref lastCheckpoint, checkpointSectors, progress, ct))
                {
                    return false;
                }
            }
        }
        else
        {
            RebuildRaid10(m, slot, progress, ct);
        }

        if (m.State != MemberState.Recovering)
        {
            return false;
        }

        m.State = MemberState.InSync;
        m.RecoveredSectors = 0;
        _log.Add($"{m.Device.Name}: rebuilt as role {slot}");
        WriteSuperblocks();
        progress?.Report(new RebuildProgress(m.Device.Name, total, total));
        return true;
    }

    // RAID10 copies of one chunk lie on several members; walk the logical chunks and refill the copies
    // that sit on the recovering member. Progress is written at the end only.
    private void RebuildRaid10(RaidMember m, int slot, IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        byte[] buffer = new byte[Geometry.ChunkBytes];
        long chunks = Geometry.ArraySectors / Geometry.ChunkSectors;
        for (long chunk = 0; chunk < chunks && m.State == MemberState.Recovering; chunk++)
        {
            ct.ThrowIfCancellationRequested();
            int count = Geometry.MapCopies(chunk * Geometry.ChunkSectors, copies);
            for (int i = 0; i < count; i++)
            {
                if (copies[i].Disk != slot)
                {
                    continue;
                }

                ReadFromOtherCopy(slot, chunk * Geometry.ChunkBytes, buffer, logical: true);
                MemberWrite(slot, copies[i].Sector * 512, buffer);
            }

            if (chunk % 64 == 0)
            {
                progress?.Report(new RebuildProgress(m.Device.Name, chunk * Geometry.MemberSectors / Math.Max(1, chunks), Geometry.MemberSectors));
            }
        }
    }

    // RAID1: member byte = logical byte. RAID10: reads the logical chunk from any other readable copy.
    private void ReadFromOtherCopy(int excludedSlot, long position, Span<byte> destination, bool logical = false)
    {
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        while (true)
        {
            ThrowIfFailed();
            int count = Geometry.MapCopies(logical ? position / 512 : position / 512, copies);
            bool any = false;
            for (int i = 0; i < count; i++)
            {
                int disk = copies[i].Disk;
                long memberByte = logical ? copies[i].Sector * 512 : position;
                if (disk == excludedSlot || !Readable(disk, memberByte + destination.Length))
                {
                    continue;
                }

                any = true;
                if (MemberRead(disk, memberByte, destination))
                {
                    return;
                }
            }

            if (!any)
            {
                throw new ArrayFailedException($"array {_array.SetUuid}: no other copy to rebuild role {excludedSlot} from at byte {position}");
            }
        }
    }

    private bool Advance(RaidMember m, long doneSectors, ref long lastCheckpoint, long checkpointSectors, IProgress<RebuildProgress>? progress, CancellationToken ct)
    {
        if (m.State != MemberState.Recovering)
        {
            return false;
        }

        m.RecoveredSectors = Math.Min(doneSectors, Geometry.MemberSectors);
        if (m.RecoveredSectors - lastCheckpoint >= checkpointSectors || ct.IsCancellationRequested)
        {
            lastCheckpoint = m.RecoveredSectors;
            WriteSuperblocks();
            progress?.Report(new RebuildProgress(m.Device.Name, m.RecoveredSectors, Geometry.MemberSectors));
        }

        ct.ThrowIfCancellationRequested();
        return true;
    }

    /// <summary>
    /// md's check (count mismatches) or repair (rewrite parity from data, or mirrors from the first copy).
    /// A repair also clears a pending resync after an unclean shutdown.
    /// </summary>
    public ScrubResult Scrub(bool repair, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            if (LostSlots() > 0)
            {
                throw new InvalidOperationException($"array {_array.SetUuid} is degraded ({LostSlots()} of {Geometry.RaidDisks} members not in sync): rebuild before a check");
            }

            if (repair)
            {
                MarkDirty();
            }

            long mismatches = Geometry.IsParity ? ScrubParity(repair, cancellationToken) : ScrubMirror(repair, cancellationToken);
            if (repair)
            {
                NeedsResync = false;
                foreach (RaidMember m in WorkingMembers())
                {
                    m.Device.Flush();
                }
            }

            return new ScrubResult(mismatches, Geometry.MemberSectors, repair);
        }
    }

    private long ScrubParity(bool repair, CancellationToken ct)
    {
        int c = Geometry.ChunkBytes;
        long mismatches = 0;
        Span<byte> p = _scratch.AsSpan(0, c);
        Span<byte> q = _scratch.AsSpan(c, c);
        for (long stripe = 0; stripe * Geometry.ChunkSectors < Geometry.MemberSectors; stripe++)
        {
            ct.ThrowIfCancellationRequested();
            ParityRow row = Geometry.Row(stripe);
            Array.Fill(_wanted, true);
            LoadStripe(stripe, row, 0, c, wantParity: true);
            ComputeParity(row, 0, c, p, row.QDisk >= 0 ? q : default);
            for (int page = 0; page < c; page += ScrubPageBytes)
            {
                int n = Math.Min(ScrubPageBytes, c - page);
                bool bad = !p.Slice(page, n).SequenceEqual(Block(row.PDisk, page, n)) ||
                           (row.QDisk >= 0 && !q.Slice(page, n).SequenceEqual(Block(row.QDisk, page, n)));
                if (bad)
                {
                    mismatches += n / 512;
                }
            }

            if (repair)
            {
                MemberWrite(row.PDisk, stripe * c, p);
                if (row.QDisk >= 0)
                {
                    MemberWrite(row.QDisk, stripe * c, q);
                }
            }
        }

        return mismatches;
    }

    private long ScrubMirror(bool repair, CancellationToken ct)
    {
        int unit = Geometry.Level == RaidLevel.Raid1 ? 64 * 1024 : Geometry.ChunkBytes;
        byte[] first = new byte[unit];
        byte[] other = new byte[unit];
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        long mismatches = 0;
        for (long pos = 0; pos < LengthBytes; pos += unit)
        {
            ct.ThrowIfCancellationRequested();
            int n = (int)Math.Min(unit, LengthBytes - pos);
            int count = Geometry.MapCopies(pos / 512, copies);
            long firstByte = copies[0].Sector * 512;
            if (!MemberRead(copies[0].Disk, firstByte, first.AsSpan(0, n)))
            {
                ThrowIfFailed();
                continue;
            }

            for (int i = 1; i < count; i++)
            {
                long memberByte = copies[i].Sector * 512;
                if (!MemberRead(copies[i].Disk, memberByte, other.AsSpan(0, n)))
                {
                    continue;
                }

                bool differs = false;
                for (int page = 0; page < n; page += ScrubPageBytes)
                {
                    int len = Math.Min(ScrubPageBytes, n - page);
                    if (!first.AsSpan(page, len).SequenceEqual(other.AsSpan(page, len)))
                    {
                        mismatches += len / 512;
                        differs = true;
                    }
                }

                if (repair && differs)
                {
                    MemberWrite(copies[i].Disk, memberByte, first.AsSpan(0, n));
                }
            }
        }

        return mismatches;
    }

    // First superblock write of a new array; then a resync pass unless the members are known to agree.
    internal void Initialise(bool clean, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (clean || LostSlots() > 0)
            {
                _array.ResyncOffset = MdSuperblock.MaxSector;
                NeedsResync = false;
                WriteSuperblocks();
                return;
            }

            WriteSuperblocks();
            Scrub(repair: true, cancellationToken);
            _array.ResyncOffset = MdSuperblock.MaxSector;
            WriteSuperblocks();
        }
    }
}
