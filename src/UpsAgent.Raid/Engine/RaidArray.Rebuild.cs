using System.Diagnostics;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Parity;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

// Rebuild onto recovering members, a window of many stripes (or one large piece) at a time. Each window
// is read from the other members at once and computed under the lock; its write to the recovering
// member then runs in the background while the next window is read (md keeps a stripe cache full of
// such work). Only one write is ever in flight. recovery_offset moves past a window once its write has
// landed, so a checkpoint never claims bytes that are not on the member yet, and a foreground write that
// touches the window in flight waits for it first, so the rebuild's older copy cannot land on top.
public sealed partial class RaidArray
{
    /// <summary>Member bytes a rebuild step reads from each member and writes to the recovering one.</summary>
    public const int DefaultRebuildWindowBytes = 1 << 20;

    // Both window buffers together stay under this, however many members (one chunk-wide stripe at least).
    private const long MaxRebuildBufferBytes = 64L << 20;

    // The pass's background write (with its thread), only while a rebuild runs.
    private BackgroundBlockWrite? _rebuildWrite;
    private RaidMember? _rebuildTarget;
    private long _rebuildWriteLo;
    private long _rebuildWriteHi;
    private int _rebuildWindowBytes = DefaultRebuildWindowBytes;
    private bool _rebuildRunning;
    private bool _prefetching;
    private bool _prefetchTouched;
    private long _prefetchLo;
    private long _prefetchHi;
    private long _readTicks;
    private long _computeTicks;
    private long _waitTicks;

    /// <summary>
    /// How many member bytes a rebuild works on per step, rounded to whole chunks (RAID 4/5/6/10) or
    /// sectors (RAID1), at least one chunk. Two such windows of every member are held in memory (bounded
    /// to 64 MiB in all). Takes effect at the next <see cref="Rebuild"/>.
    /// </summary>
    public int RebuildWindowBytes
    {
        get => _rebuildWindowBytes;
        set
        {
            if (value < 512 || value > (64 << 20))
            {
                throw new ArgumentOutOfRangeException(nameof(value), $"rebuild window of {value} bytes: need 512 bytes to 64 MiB");
            }

            _rebuildWindowBytes = value;
        }
    }

    /// <summary>Where the last rebuild pass spent its time, or null before the first.</summary>
    public RebuildTimings? LastRebuildTimings { get; private set; }

    /// <summary>
    /// Rebuilds every recovering member from the others. The member's recovery_offset is written to the
    /// superblocks every <paramref name="checkpointBytes"/>, so an interrupted rebuild resumes there.
    /// Works a window at a time under the lock, so foreground I/O goes on between windows, and is paced
    /// by <see cref="Throttle"/>. Returns the number of members brought in sync.
    /// </summary>
    public int Rebuild(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken, long checkpointBytes = 16L << 20)
    {
        lock (_gate)
        {
            // One pass owns the window buffers and the background write.
            if (_rebuildRunning)
            {
                throw new InvalidOperationException($"array {_array.SetUuid}: a rebuild is already running");
            }

            _rebuildRunning = true;
        }

        try
        {
            return RebuildRecovering(progress, cancellationToken, checkpointBytes);
        }
        finally
        {
            lock (_gate)
            {
                _rebuildRunning = false;
            }
        }
    }

    private int RebuildRecovering(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken, long checkpointBytes)
    {
        int rebuilt = 0;
        for (int slot = 0; slot < _slots.Length; slot++)
        {
            RaidMember? m;
            lock (_gate)
            {
                m = _slots[slot];
                if (m is null || m.State != MemberState.Recovering)
                {
                    continue;
                }

                ThrowIfFailed();
            }

            long started = Stopwatch.GetTimestamp();
            _readTicks = _computeTicks = _waitTicks = _kernelCopiedBytes = 0;
            try
            {
                if (RebuildMember(m, slot, progress, cancellationToken, Math.Max(1, checkpointBytes / 512)))
                {
                    rebuilt++;
                }
            }
            finally
            {
                _activity = null;
                LastRebuildTimings = new RebuildTimings(
                    Stopwatch.GetElapsedTime(0, _readTicks),
                    Stopwatch.GetElapsedTime(0, _computeTicks),
                    Stopwatch.GetElapsedTime(0, _waitTicks),
                    Stopwatch.GetElapsedTime(started),
                    _kernelCopiedBytes);
            }
        }

        return rebuilt;
    }

    private bool RebuildMember(RaidMember m, int slot, IProgress<RebuildProgress>? progress, CancellationToken ct, long checkpointSectors)
    {
        long total = Geometry.MemberSectors;
        Throttle.StartPass();
        _activity = new SyncActivity("recovery", m.RecoveredSectors, total, false);
        var pass = new RebuildPass(m, slot, progress, ct, checkpointSectors);
        var write = new BackgroundBlockWrite();
        lock (_gate)
        {
            _rebuildWrite = write;
        }

        bool carriedOn;
        try
        {
            carriedOn = Geometry.Level switch
            {
                RaidLevel.Raid1 => RebuildMirror(pass),
                RaidLevel.Raid10 => RebuildRaid10(pass),
                _ => RebuildParity(pass),
            };
        }
        finally
        {
            lock (_gate)
            {
                // The loops drain their write before they return or throw; this only ends the thread.
                CompleteRebuildWrite();
                _rebuildWrite = null;
            }

            write.Dispose();
        }

        if (!carriedOn)
        {
            return false;
        }

        lock (_gate)
        {
            if (m.State != MemberState.Recovering)
            {
                return false;
            }

            m.State = MemberState.InSync;
            m.RecoveredSectors = 0;
            m.BitmapRecovery = false;
            _log.Add($"{m.Device.Name}: rebuilt as role {slot}");
            WriteSuperblocks();
        }

        progress?.Report(new RebuildProgress(m.Device.Name, total, total));
        return true;
    }

    // RAID 4/5/6: a window of stripes [first, first+count); disk d's chunk of stripe first+k sits in the
    // window buffer at d * stride + k * chunk, so parity and recovery run on it as on one stripe.
    private bool RebuildParity(RebuildPass pass)
    {
        RaidMember m = pass.Member;
        int c = Geometry.ChunkBytes;
        int disks = Geometry.RaidDisks;
        long perWindow = Math.Max(1, _rebuildWindowBytes / c);
        perWindow = Math.Max(1, Math.Min(perWindow, MaxRebuildBufferBytes / 2 / disks / c));
        int stride = (int)perWindow * c;
        using var window = new ParityWindow(disks, (int)perWindow, stride);
        long stripes = Geometry.MemberSectors / Geometry.ChunkSectors;
        long copied = 0;
        long inFlightEnd = -1;
        long prefetched = -1;
        int which = 0;
        try
        {
            for (long stripe = m.RecoveredSectors / Geometry.ChunkSectors; stripe < stripes;)
            {
                Throttle.Pace(copied, pass.Ct);
                lock (_gate)
                {
                    if (m.State != MemberState.Recovering)
                    {
                        return false;
                    }

                    int count = (int)Math.Min(perWindow, stripes - stripe);
                    if (SkipClean(pass, stripe * Geometry.ChunkSectors, (stripe + count) * Geometry.ChunkSectors, ref inFlightEnd, out bool goOn))
                    {
                        stripe += count;
                        if (!goOn)
                        {
                            return false;
                        }

                        continue;
                    }

                    copied += (long)count * c;
                    byte[] buffer = window.Buffers[which];
                    if (prefetched == stripe)
                    {
                        FinishPrefetch(window, which, pass.Slot, stripe, count);
                    }
                    else
                    {
                        ReadParityWindow(window, which, pass.Slot, stripe, count);
                    }

                    prefetched = -1;

                    // The next window's reads go out now, into the other buffer (whose only block in use,
                    // the recovering disk's, is not read into), and run while this window is computed and
                    // while the lock is free; a foreground write or a member failure meanwhile makes them
                    // void (see FinishPrefetch).
                    long following = stripe + count;
                    if (following < stripes && !m.BitmapRecovery)
                    {
                        int next = (int)Math.Min(perWindow, stripes - following);
                        int lanes = PlanParityWindow(window, which ^ 1, pass.Slot, following, next);
                        _prefetchLo = following * c;
                        _prefetchHi = (following + next) * c;
                        _prefetchTouched = false;
                        _prefetching = true;
                        window.PrefetchLanes = lanes;
                        window.Lanes.Start(window.Reads, window.LaneStarts, lanes, window.Errors);
                        prefetched = following;
                    }

                    long t = Stopwatch.GetTimestamp();
                    for (int k = 0; k < count; k++)
                    {
                        ComputeRebuildChunk(window, which, pass.Slot, stripe + k, k);
                    }

                    _computeTicks += Stopwatch.GetTimestamp() - t;
                    if (!LandPreviousWindow(pass, ref inFlightEnd))
                    {
                        return false;
                    }

                    window.Writes[which][0] = new BlockWrite(m.Device, m.DataOffsetBytes + (stripe * c), buffer, pass.Slot * stride, count * c);
                    StartRebuildWrite(m, window.Writes[which], 1, stripe * c, (stripe + count) * c);
                    inFlightEnd = (stripe + count) * Geometry.ChunkSectors;
                    stripe += count;
                    which ^= 1;

                }
            }

            lock (_gate)
            {
                return LandPreviousWindow(pass, ref inFlightEnd);
            }
        }
        finally
        {
            // No read of ours outlives the pass.
            window.Lanes.WaitStarted();
            lock (_gate)
            {
                _prefetching = false;
            }

            DrainRebuild(pass, inFlightEnd);
        }
    }

    // Under the lock: ends the reads started for this window after the previous one. They count only
    // if no member failed and no foreground write touched these member bytes since they went out;
    // otherwise the window is planned and read again.
    private void FinishPrefetch(ParityWindow window, int half, int target, long first, int count)
    {
        long t = Stopwatch.GetTimestamp();
        window.Lanes.WaitStarted();
        _readTicks += Stopwatch.GetTimestamp() - t;
        _prefetching = false;
        bool failed = FailLanesThatErred(window.LaneStarts, window.LaneMembers, window.PrefetchLanes, window.Errors);
        if (failed || _prefetchTouched)
        {
            ReadParityWindow(window, half, target, first, count);
        }
    }

    // Foreground data writes report here (under the lock): one that lands on the window being read ahead
    // voids that read.
    private void NotePrefetchOverlap(long memberByte, int length)
    {
        if (_prefetching && memberByte < _prefetchHi && memberByte + length > _prefetchLo)
        {
            _prefetchTouched = true;
        }
    }

    // Reads what the recovering disk's chunks of this window need, every member at once; a member whose
    // read fails is failed and the window planned again without it.
    private void ReadParityWindow(ParityWindow window, int half, int target, long first, int count)
    {
        while (true)
        {
            ThrowIfFailed();
            int lanes = PlanParityWindow(window, half, target, first, count);
            long t = Stopwatch.GetTimestamp();
            window.Lanes.Run(window.Reads, window.LaneStarts, lanes, window.Errors);
            _readTicks += Stopwatch.GetTimestamp() - t;
            if (!FailLanesThatErred(window.LaneStarts, window.LaneMembers, lanes, window.Errors))
            {
                return;
            }
        }
    }

    // Fills window.Reads with a lane per member over runs of the chunks it must give, into buffer `half`
    // (0 or 1) and its Needed map; returns the lanes.
    private int PlanParityWindow(ParityWindow window, int half, int target, long first, int count)
    {
        byte[] buffer = window.Buffers[half];
        bool[] needed = window.Needed[half];
        int c = Geometry.ChunkBytes;
        int disks = Geometry.RaidDisks;
        long end = (first + count) * c;
        for (int k = 0; k < count; k++)
        {
            PlanRebuildStripe(Geometry.Row(first + k), target, end, needed.AsSpan(k * disks, disks));
        }

        int reads = 0;
        int lanes = 0;
        for (int d = 0; d < disks; d++)
        {
            int laneStart = reads;
            for (int k = 0; k < count;)
            {
                if (!needed[(k * disks) + d])
                {
                    k++;
                    continue;
                }

                int run = 1;
                while (k + run < count && needed[((k + run) * disks) + d])
                {
                    run++;
                }

                RaidMember source = _slots[d]!;
                window.Reads[reads++] = new BlockRead(source.Device, source.DataOffsetBytes + ((first + k) * c), buffer, (d * window.Stride) + (k * c), run * c);
                k += run;
            }

            if (reads > laneStart)
            {
                window.LaneStarts[lanes] = laneStart;
                window.LaneMembers[lanes++] = _slots[d]!;
            }
        }

        window.LaneStarts[lanes] = reads;
        return lanes;
    }

    // Which disks' chunks of one stripe the recovering disk's chunk is made from: the data blocks (P and
    // Q are computed from them), plus P when one data block is missing (XOR), or P and Q when that is
    // not enough. A disk counts only if readable over the whole window.
    private void PlanRebuildStripe(ParityRow row, int target, long windowEndByte, Span<bool> needed)
    {
        needed.Clear();
        int missing = 0;
        for (int d = 0; d < row.DataCount; d++)
        {
            int disk = row.DataDisk(d);
            needed[disk] = disk != target && Readable(disk, windowEndByte);
            missing += needed[disk] ? 0 : 1;
        }

        if (missing == 0)
        {
            return;
        }

        bool p = row.PDisk != target && Readable(row.PDisk, windowEndByte);
        needed[row.PDisk] = p;
        if (row.QDisk >= 0 && !(missing == 1 && p))
        {
            needed[row.QDisk] = row.QDisk != target && Readable(row.QDisk, windowEndByte);
        }
    }

    private void ComputeRebuildChunk(ParityWindow window, int half, int target, long stripe, int k)
    {
        byte[] buffer = window.Buffers[half];
        int c = Geometry.ChunkBytes;
        int disks = Geometry.RaidDisks;
        ParityRow row = Geometry.Row(stripe);
        window.Needed[half].AsSpan(k * disks, disks).CopyTo(_present);
        ReconstructData(buffer, window.Stride, row, k * c, c);
        if (target == row.PDisk && row.QDisk >= 0)
        {
            // A lost RAID6 P is the XOR of the data alone: no Q to compute and throw away.
            Span<int> offsets = _offsets.AsSpan(0, row.DataCount);
            for (int slot = 0; slot < row.DataCount; slot++)
            {
                offsets[slot] = (row.SlotDisk(slot) * window.Stride) + (k * c);
            }

            XorParity.Compute(buffer, c, offsets, buffer.AsSpan((row.PDisk * window.Stride) + (k * c), c));
        }
        else if (target == row.PDisk || target == row.QDisk)
        {
            ComputeParity(buffer, window.Stride, row, k * c, c);
        }
    }

    // RAID1: one large piece at a time, read from the other copies at once (each its share).
    private bool RebuildMirror(RebuildPass pass)
    {
        RaidMember m = pass.Member;
        int piece = Math.Max(512, _rebuildWindowBytes / 512 * 512);
        using var window = new MirrorWindow(Geometry.RaidDisks, piece, 1);
        long total = Geometry.MemberSectors;
        long copied = 0;
        long inFlightEnd = -1;
        int which = 0;
        bool kernelCopy = RebuildKernelCopy && m.Device is ImageFileDevice;
        try
        {
            for (long sector = m.RecoveredSectors; sector < total;)
            {
                Throttle.Pace(copied, pass.Ct);
                lock (_gate)
                {
                    if (m.State != MemberState.Recovering)
                    {
                        return false;
                    }

                    int n = (int)Math.Min(piece, (total - sector) * 512);
                    if (SkipClean(pass, sector, sector + (n / 512), ref inFlightEnd, out bool goOn))
                    {
                        sector += n / 512;
                        if (!goOn)
                        {
                            return false;
                        }

                        continue;
                    }

                    copied += n;
                    if (kernelCopy)
                    {
                        if (!LandPreviousWindow(pass, ref inFlightEnd))
                        {
                            return false;
                        }

                        if (CopyMirrorPiece(pass, sector * 512, n, ref kernelCopy))
                        {
                            sector += n / 512;
                            inFlightEnd = sector;
                            continue;
                        }
                    }

                    byte[] buffer = window.Buffers[which];
                    ReadMirrorPiece(window, buffer, pass.Slot, sector * 512, n);
                    if (!LandPreviousWindow(pass, ref inFlightEnd))
                    {
                        return false;
                    }

                    window.Writes[which][0] = new BlockWrite(m.Device, m.DataOffsetBytes + (sector * 512), buffer, 0, n);
                    StartRebuildWrite(m, window.Writes[which], 1, sector * 512, (sector * 512) + n);
                    sector += n / 512;
                    inFlightEnd = sector;
                    which ^= 1;
                }
            }

            lock (_gate)
            {
                return LandPreviousWindow(pass, ref inFlightEnd);
            }
        }
        finally
        {
            DrainRebuild(pass, inFlightEnd);
        }
    }

    private void ReadMirrorPiece(MirrorWindow window, byte[] buffer, int target, long position, int length)
    {
        while (true)
        {
            ThrowIfFailed();
            int sources = 0;
            for (int d = 0; d < Geometry.RaidDisks; d++)
            {
                if (d != target && Readable(d, position + length))
                {
                    window.LaneMembers[sources++] = _slots[d]!;
                }
            }

            if (sources == 0)
            {
                throw new ArrayFailedException($"array {_array.SetUuid}: no other copy to rebuild role {target} from at byte {position}");
            }

            // Each source reads an equal, sector-aligned share.
            int share = (length / 512 + sources - 1) / sources * 512;
            int lanes = 0;
            for (int i = 0, at = 0; i < sources && at < length; i++, at += share)
            {
                RaidMember source = window.LaneMembers[i];
                window.Reads[lanes] = new BlockRead(source.Device, source.DataOffsetBytes + position + at, buffer, at, Math.Min(share, length - at));
                window.LaneStarts[lanes] = lanes;
                lanes++;
            }

            window.LaneStarts[lanes] = lanes;
            long t = Stopwatch.GetTimestamp();
            window.Lanes.Run(window.Reads, window.LaneStarts, lanes, window.Errors);
            _readTicks += Stopwatch.GetTimestamp() - t;
            if (!FailLanesThatErred(window.LaneStarts, window.LaneMembers, lanes, window.Errors))
            {
                return;
            }
        }
    }

    // RAID10, as md's raid10 recovery does it: walks the recovering member's own chunk rows front to
    // back, a window of rows at a time; for each row finds the array chunk whose copy lives there
    // (ArrayGeometry.MapToArray) and reads it from another copy, every source disk at once. The member
    // thus fills in order for near, far and offset layouts alike, so recovery_offset moves past a window
    // once its write has landed and checkpoints like RAID 1/4/5/6.
    private bool RebuildRaid10(RebuildPass pass)
    {
        RaidMember m = pass.Member;
        int c = Geometry.ChunkBytes;
        long cs = Geometry.ChunkSectors;
        int perWindow = (int)Math.Max(1, Math.Min(_rebuildWindowBytes / c, MaxRebuildBufferBytes / 2 / c));
        using var window = new MirrorWindow(Geometry.RaidDisks, perWindow * c, perWindow);
        long rows = Geometry.MemberSectors / cs;
        var copies = new MemberAddress[Geometry.Copies];
        int[] sourceOf = new int[perWindow];
        long[] sourceSector = new long[perWindow];
        long inFlightEnd = -1;
        long copied = 0;
        int which = 0;
        try
        {
            for (long row = m.RecoveredSectors / cs; row < rows;)
            {
                Throttle.Pace(copied, pass.Ct);
                lock (_gate)
                {
                    if (m.State != MemberState.Recovering)
                    {
                        return false;
                    }

                    int count = (int)Math.Min(perWindow, rows - row);
                    byte[] buffer = window.Buffers[which];
                    int planned;
                    while (true)
                    {
                        ThrowIfFailed();
                        planned = PlanRaid10Window(pass, row, count, copies, sourceOf, sourceSector);
                        if (planned == 0 || ReadRaid10Window(window, buffer, count, sourceOf, sourceSector))
                        {
                            break;
                        }
                    }

                    if (!LandPreviousWindow(pass, ref inFlightEnd))
                    {
                        return false;
                    }

                    if (planned == 0)
                    {
                        // Rows that hold no copy, or only chunks a re-added member already has: nothing
                        // to write, and the previous window has landed, so they count as recovered.
                        row += count;
                        AdvanceRecovery(pass, row * cs);
                        continue;
                    }

                    // Buffer slot k is row + k; runs of rows that were read go out as one write each.
                    int writes = 0;
                    long lo = long.MaxValue;
                    long hi = 0;
                    BlockWrite[] batch = window.Writes[which];
                    for (int k = 0; k < count;)
                    {
                        if (sourceOf[k] < 0)
                        {
                            k++;
                            continue;
                        }

                        int run = 1;
                        while (k + run < count && sourceOf[k + run] >= 0)
                        {
                            run++;
                        }

                        long at = (row + k) * c;
                        batch[writes++] = new BlockWrite(m.Device, m.DataOffsetBytes + at, buffer, k * c, run * c);
                        lo = Math.Min(lo, at);
                        hi = Math.Max(hi, at + ((long)run * c));
                        k += run;
                    }

                    StartRebuildWrite(m, batch, writes, lo, hi);
                    copied += (long)planned * c;
                    row += count;
                    inFlightEnd = row * cs;
                    which ^= 1;
                }
            }

            lock (_gate)
            {
                return LandPreviousWindow(pass, ref inFlightEnd);
            }
        }
        finally
        {
            DrainRebuild(pass, inFlightEnd);
        }
    }

    // Plans the window of `count` rows of the recovering member from `row` on: sourceOf[k] is the disk
    // to read row + k's chunk from (at sourceSector[k]), or -1 where nothing is to be copied (the row
    // holds no copy, or a re-added member's chunk the bitmap has clean). Returns the rows to copy.
    private int PlanRaid10Window(RebuildPass pass, long row, int count, MemberAddress[] copies, int[] sourceOf, long[] sourceSector)
    {
        int target = pass.Slot;
        long cs = Geometry.ChunkSectors;
        int planned = 0;
        for (int k = 0; k < count; k++)
        {
            sourceOf[k] = -1;
            long memberSector = (row + k) * cs;
            long logical = Geometry.MapToArray(target, memberSector);

            // The RAID10 bitmap covers array sectors: a re-added member skips the clean chunks.
            if (logical < 0 || (pass.Member.BitmapRecovery && _bitmap is { } bitmap && !bitmap.AnyDirty(logical, logical + cs)))
            {
                continue;
            }

            int n = Geometry.MapCopies(logical, copies);
            for (int i = 0; i < n && sourceOf[k] < 0; i++)
            {
                if (copies[i].Disk != target && Readable(copies[i].Disk, (copies[i].Sector + cs) * 512))
                {
                    sourceOf[k] = copies[i].Disk;
                    sourceSector[k] = copies[i].Sector;
                }
            }

            if (sourceOf[k] < 0)
            {
                throw new ArrayFailedException($"array {_array.SetUuid}: no other copy to rebuild role {target} from at byte {logical * 512}");
            }

            planned++;
        }

        return planned;
    }

    // Reads the window's chunks into buffer slots 0..count, one lane per source disk, with runs of
    // adjacent chunks joined. False when a source failed (the caller plans the window again).
    private bool ReadRaid10Window(MirrorWindow window, byte[] buffer, int count, int[] sourceOf, long[] sourceSector)
    {
        int c = Geometry.ChunkBytes;
        int reads = 0;
        int lanes = 0;
        for (int d = 0; d < Geometry.RaidDisks; d++)
        {
            int laneStart = reads;
            for (int k = 0; k < count;)
            {
                if (sourceOf[k] != d)
                {
                    k++;
                    continue;
                }

                int run = 1;
                while (k + run < count && sourceOf[k + run] == d && sourceSector[k + run] == sourceSector[k] + ((long)run * Geometry.ChunkSectors))
                {
                    run++;
                }

                RaidMember source = _slots[d]!;
                window.Reads[reads++] = new BlockRead(source.Device, source.DataOffsetBytes + (sourceSector[k] * 512), buffer, k * c, run * c);
                k += run;
            }

            if (reads > laneStart)
            {
                window.LaneStarts[lanes] = laneStart;
                window.LaneMembers[lanes++] = _slots[d]!;
            }
        }

        window.LaneStarts[lanes] = reads;
        long t = Stopwatch.GetTimestamp();
        window.Lanes.Run(window.Reads, window.LaneStarts, lanes, window.Errors);
        _readTicks += Stopwatch.GetTimestamp() - t;
        return !FailLanesThatErred(window.LaneStarts, window.LaneMembers, lanes, window.Errors);
    }

    // Fails the member of every lane with a read error (under the lock); true when any did.
    private bool FailLanesThatErred(int[] laneStarts, RaidMember[] laneMembers, int lanes, IOException?[] errors)
    {
        bool any = false;
        for (int lane = 0; lane < lanes; lane++)
        {
            for (int i = laneStarts[lane]; i < laneStarts[lane + 1]; i++)
            {
                if (errors[i] is { } e)
                {
                    errors[i] = null;
                    FailLocked(laneMembers[lane], $"read error: {e.Message}");
                    any = true;
                }
            }
        }

        return any;
    }

    // A re-added member holds the data of every chunk the bitmap has clean: such a window is not copied,
    // only counted as recovered (after the window in flight has landed, so the order holds). True when the
    // window was skipped; goOn is false when the member stopped recovering meanwhile.
    private bool SkipClean(RebuildPass pass, long startSector, long endSector, ref long inFlightEnd, out bool goOn)
    {
        goOn = true;
        if (!pass.Member.BitmapRecovery || _bitmap is not { } bitmap || bitmap.AnyDirty(startSector, endSector))
        {
            return false;
        }

        goOn = LandPreviousWindow(pass, ref inFlightEnd);
        if (goOn)
        {
            AdvanceRecovery(pass, endSector);
        }

        return true;
    }

    private void StartRebuildWrite(RaidMember target, BlockWrite[] writes, int count, long lo, long hi)
    {
        _rebuildTarget = target;
        _rebuildWriteLo = lo;
        _rebuildWriteHi = hi;
        _rebuildWrite!.Start(writes, count);
    }

    // Under the lock: waits for the window in flight, and if it landed moves recovery_offset past it
    // (checkpointing as due). False when the member stopped recovering (failed, here or by anyone).
    private bool LandPreviousWindow(RebuildPass pass, ref long inFlightEnd)
    {
        CompleteRebuildWrite();
        if (pass.Member.State != MemberState.Recovering)
        {
            return false;
        }

        if (inFlightEnd > 0)
        {
            AdvanceRecovery(pass, inFlightEnd);
        }

        inFlightEnd = -1;
        pass.Ct.ThrowIfCancellationRequested();
        return true;
    }

    // Waits for the rebuild write in flight (if any); a failed write fails the member it went to.
    // Called under the lock by the rebuild, and by anyone about to write where it is writing.
    private void CompleteRebuildWrite()
    {
        if (_rebuildWrite is not { Pending: true } write)
        {
            return;
        }

        long t = Stopwatch.GetTimestamp();
        Exception? error = write.Wait();
        _waitTicks += Stopwatch.GetTimestamp() - t;
        RaidMember? target = _rebuildTarget;
        _rebuildTarget = null;
        if (error is not null && target is not null)
        {
            if (error is not (IOException or ObjectDisposedException))
            {
                throw new InvalidOperationException($"rebuild write to {target.Device.Name} failed: {error.Message}", error);
            }

            FailLocked(target, $"write error: {error.Message}");
        }
    }

    // A foreground write to member `slot` over [memberByte, +length) first lets an overlapping rebuild
    // write land, so the newer data lands last.
    private void WaitForRebuildWriteAt(int slot, long memberByte, int length)
    {
        if (_rebuildWrite is { Pending: true } && ReferenceEquals(_slots[slot], _rebuildTarget) &&
            memberByte < _rebuildWriteHi && memberByte + length > _rebuildWriteLo)
        {
            CompleteRebuildWrite();
        }
    }

    // After the loop ends for any reason (cancelled, failed, done): nothing of ours stays in flight, and a
    // window that landed (written in the background, or copied by the kernel) still counts for the checkpoint.
    private void DrainRebuild(RebuildPass pass, long inFlightEnd)
    {
        lock (_gate)
        {
            CompleteRebuildWrite();
            RaidMember m = pass.Member;
            if (inFlightEnd > m.RecoveredSectors && m.State == MemberState.Recovering && !_disposed && !IsFailedLocked())
            {
                m.RecoveredSectors = inFlightEnd;
                WriteSuperblocks();
            }
        }
    }

    private void AdvanceRecovery(RebuildPass pass, long doneSectors)
    {
        RaidMember m = pass.Member;
        m.RecoveredSectors = Math.Min(doneSectors, Geometry.MemberSectors);
        _activity = new SyncActivity("recovery", m.RecoveredSectors, Geometry.MemberSectors, false);
        if (m.RecoveredSectors - pass.LastCheckpoint >= pass.CheckpointSectors || pass.Ct.IsCancellationRequested)
        {
            pass.LastCheckpoint = m.RecoveredSectors;
            WriteSuperblocks();
            pass.Progress?.Report(new RebuildProgress(m.Device.Name, m.RecoveredSectors, Geometry.MemberSectors));
        }
    }

    private sealed class RebuildPass(RaidMember member, int slot, IProgress<RebuildProgress>? progress, CancellationToken ct, long checkpointSectors)
    {
        public RaidMember Member { get; } = member;

        public int Slot { get; } = slot;

        public IProgress<RebuildProgress>? Progress { get; } = progress;

        public CancellationToken Ct { get; } = ct;

        public long CheckpointSectors { get; } = checkpointSectors;

        public long LastCheckpoint { get; set; } = member.RecoveredSectors;
    }

    // The buffers of a parity rebuild, made once per pass: two windows of every disk, the reads of one
    // window (at most one per disk and stripe), and which disks each stripe needs.
    private sealed class ParityWindow : IDisposable
    {
        public ParityWindow(int disks, int stripes, int stride)
        {
            Stride = stride;
            Buffers = [new byte[disks * stride], new byte[disks * stride]];
            Writes = [new BlockWrite[1], new BlockWrite[1]];
            Reads = new BlockRead[disks * stripes];
            Errors = new IOException?[disks * stripes];
            LaneStarts = new int[disks + 1];
            LaneMembers = new RaidMember[disks];
            Needed = [new bool[disks * stripes], new bool[disks * stripes]];
            Lanes = new BlockReadLanes(disks);
        }

        public int Stride { get; }

        public byte[][] Buffers { get; }

        public BlockWrite[][] Writes { get; }

        public BlockRead[] Reads { get; }

        public IOException?[] Errors { get; }

        public int[] LaneStarts { get; }

        public RaidMember[] LaneMembers { get; }

        /// <summary>Per buffer: which disks each stripe of its window is read from.</summary>
        public bool[][] Needed { get; }

        public BlockReadLanes Lanes { get; }

        /// <summary>Lanes of the reads started ahead for the next window.</summary>
        public int PrefetchLanes { get; set; }

        public void Dispose() => Lanes.Dispose();
    }

    // RAID 1/10: two buffers of `bytes`, and room for `reads` reads and writes per window.
    private sealed class MirrorWindow : IDisposable
    {
        public MirrorWindow(int lanes, int bytes, int reads)
        {
            Buffers = [new byte[bytes], new byte[bytes]];
            Writes = [new BlockWrite[reads], new BlockWrite[reads]];
            Reads = new BlockRead[Math.Max(lanes, reads)];
            Errors = new IOException?[Reads.Length];
            LaneStarts = new int[lanes + 1];
            LaneMembers = new RaidMember[lanes];
            Lanes = new BlockReadLanes(lanes);
        }

        public byte[][] Buffers { get; }

        public BlockWrite[][] Writes { get; }

        public BlockRead[] Reads { get; }

        public IOException?[] Errors { get; }

        public int[] LaneStarts { get; }

        public RaidMember[] LaneMembers { get; }

        public BlockReadLanes Lanes { get; }

        public void Dispose() => Lanes.Dispose();
    }
}
