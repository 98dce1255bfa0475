using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Engine;

// Scrub (check/repair), one stripe or chunk at a time; rebuild is in RaidArray.Rebuild.cs.
public sealed partial class RaidArray
{
    /// <summary>
    /// md's check (count mismatches) or repair (rewrite parity from data, or mirrors from the first copy).
    /// A repair also clears a pending resync after an unclean shutdown. Runs one stripe (or mirror piece)
    /// at a time, so foreground I/O goes on between them, paced by <see cref="Throttle"/>.
    /// </summary>
    public ScrubResult Scrub(bool repair, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            RequireWhole(repair ? "repair" : "check");
            if (repair)
            {
                MarkDirty();
            }
        }

        long total = SyncDomainSectors(Geometry);
        long mismatches = ScrubRanges(repair ? "repair" : "check", repair, [(0, total)], total, cancellationToken);
        if (repair)
        {
            lock (_gate)
            {
                NeedsResync = false;
                FlushLocked();
            }
        }

        return new ScrubResult(mismatches, Geometry.MemberSectors, repair);
    }

    /// <summary>Rebuild, resync and scrub wait here between units: the speed limits and pause/resume.</summary>
    public SyncThrottle Throttle { get; }

    /// <summary>The pass in progress (recovery, resync, check, repair), or null.</summary>
    public SyncActivity? Activity
    {
        get
        {
            SyncActivity? a = _activity;
            return a is null ? null : a with { Paused = Throttle.Paused };
        }
    }

    private volatile SyncActivity? _activity;

    private void RequireWhole(string action)
    {
        if (LostSlots() > 0)
        {
            throw new InvalidOperationException($"array {_array.SetUuid} is degraded ({LostSlots()} of {Geometry.RaidDisks} members not in sync): rebuild before a {action}");
        }
    }

    private void RepairRanges(string action, IReadOnlyList<(long Start, long End)> ranges, long totalSectors, CancellationToken ct)
    {
        lock (_gate)
        {
            MarkDirty();
        }

        ScrubRanges(action, repair: true, ranges, totalSectors, ct);
    }

    // Walks sync-domain sector ranges (member sectors for parity and RAID1, array sectors for RAID10)
    // one unit at a time, each under the lock, pacing between units.
    private long ScrubRanges(string action, bool repair, IReadOnlyList<(long Start, long End)> ranges, long totalSectors, CancellationToken ct)
    {
        long mismatches = 0;
        long done = 0;
        Throttle.StartPass();
        _activity = new SyncActivity(action, 0, totalSectors, false);
        try
        {
            foreach ((long start, long end) in ranges)
            {
                if (Geometry.IsParity)
                {
                    for (long stripe = start / Geometry.ChunkSectors; stripe * Geometry.ChunkSectors < end; stripe++)
                    {
                        Throttle.Pace(done * 512, ct);
                        ct.ThrowIfCancellationRequested();
                        lock (_gate)
                        {
                            ThrowIfFailed();
                            RequireWhole(action);
                            mismatches += ScrubStripe(stripe, repair);
                        }

                        done += Geometry.ChunkSectors;
                        _activity = new SyncActivity(action, Math.Min(done, totalSectors), totalSectors, false);
                    }
                }
                else
                {
                    for (long pos = start * 512; pos < end * 512;)
                    {
                        Throttle.Pace(done * 512, ct);
                        ct.ThrowIfCancellationRequested();
                        int n = Math.Min(MirrorPiece(pos, (int)Math.Min(int.MaxValue, (end * 512) - pos)), ScrubMirrorBytes);
                        lock (_gate)
                        {
                            ThrowIfFailed();
                            RequireWhole(action);
                            mismatches += ScrubMirrorPiece(pos, n, repair);
                        }

                        pos += n;
                        done += n / 512;
                        _activity = new SyncActivity(action, Math.Min(done, totalSectors), totalSectors, false);
                    }
                }
            }
        }
        finally
        {
            _activity = null;
        }

        return mismatches;
    }

    private long ScrubStripe(long stripe, bool repair)
    {
        int c = Geometry.ChunkBytes;
        long mismatches = 0;
        Span<byte> p = _scratch.AsSpan(0, c);
        Span<byte> q = _scratch.AsSpan(c, c);
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

        if (repair && mismatches > 0)
        {
            MemberWrite(row.PDisk, stripe * c, p);
            if (row.QDisk >= 0)
            {
                MemberWrite(row.QDisk, stripe * c, q);
            }
        }

        return mismatches;
    }

    private const int ScrubMirrorBytes = 64 * 1024;

    // One piece of logical bytes [pos, pos+n) inside one chunk: compare every copy with the first.
    private long ScrubMirrorPiece(long pos, int n, bool repair)
    {
        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        Span<byte> first = _mirrorFirst.AsSpan(0, n);
        Span<byte> other = _mirrorOther.AsSpan(0, n);
        long mismatches = 0;
        int count = Geometry.MapCopies(pos / 512, copies);
        if (!MemberRead(copies[0].Disk, copies[0].Sector * 512, first))
        {
            ThrowIfFailed();
            return 0;
        }

        for (int i = 1; i < count; i++)
        {
            long memberByte = copies[i].Sector * 512;
            if (!MemberRead(copies[i].Disk, memberByte, other))
            {
                continue;
            }

            bool differs = false;
            for (int page = 0; page < n; page += ScrubPageBytes)
            {
                int len = Math.Min(ScrubPageBytes, n - page);
                if (!first.Slice(page, len).SequenceEqual(other.Slice(page, len)))
                {
                    mismatches += len / 512;
                    differs = true;
                }
            }

            if (repair && differs)
            {
                MemberWrite(copies[i].Disk, memberByte, first);
            }
        }

        return mismatches;
    }

    private readonly byte[] _mirrorFirst = new byte[ScrubMirrorBytes];
    private readonly byte[] _mirrorOther = new byte[ScrubMirrorBytes];

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
