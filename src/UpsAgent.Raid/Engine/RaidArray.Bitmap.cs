using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;

namespace UpsAgent.Raid.Engine;

// The write-intent bitmap and the clean/dirty state (md's "safe mode"): bits reach every member before
// the data they cover, are cleared once the data is flushed and idle, and after an unclean stop only
// the dirty chunks are resynced (without a bitmap: everything).
public sealed partial class RaidArray
{
    private WriteIntentBitmap? _bitmap;
    private DateTimeOffset _lastWrite;

    /// <summary>The internal bitmap, or null for an array without one (md's "Consistency Policy : resync").</summary>
    public WriteIntentBitmap? Bitmap => _bitmap;

    /// <summary>The array is marked dirty on its members: writes happened since the last quiesce.</summary>
    public bool IsDirty
    {
        get { lock (_gate) { return !_array.IsClean; } }
    }

    internal long BitmapByteOffset => MdSuperblock.ByteOffsetV12 + ((long)_array.BitmapOffset * 512);

    internal void AttachBitmap(WriteIntentBitmap bitmap) => _bitmap = bitmap;

    // Writes the bitmap to every working member now (at assembly, over copies that could not be read).
    internal void RewriteBitmap()
    {
        lock (_gate)
        {
            WriteBitmap();
        }
    }

    /// <summary>Sectors of the bitmap's sync domain: per member for RAID 1/4/5/6, the whole array for RAID10.</summary>
    internal static long SyncDomainSectors(ArrayGeometry geometry) =>
        geometry.Level == RaidLevel.Raid10 ? geometry.ArraySectors : geometry.MemberSectors;

    // Sets the bits a write to array bytes [offset, offset+length) needs. True when bits changed.
    private bool BitmapMarkWrite(long offset, int length)
    {
        if (_bitmap is null || length == 0)
        {
            return false;
        }

        long start;
        long end;
        if (Geometry.IsParity)
        {
            long stripeBytes = (long)Geometry.ChunkBytes * Geometry.DataDisks;
            start = offset / stripeBytes * Geometry.ChunkSectors;
            end = (((offset + length - 1) / stripeBytes) + 1) * Geometry.ChunkSectors;
        }
        else
        {
            start = offset / 512;
            end = (offset + length + 511) / 512;
        }

        return _bitmap.MarkForWrite(start, end, _time.GetUtcNow());
    }

    // Writes the bitmap area to every working member and spare and flushes it, so the bits are durable
    // before the data writes that follow. A member that fails here is failed like any other.
    private void WriteBitmap()
    {
        if (_bitmap is null)
        {
            return;
        }

        _bitmap.Header.Events = _array.Events;
        byte[] area = new byte[_bitmap.AreaBytes];
        _bitmap.WriteArea(area);
        foreach (RaidMember m in WorkingMembers().Concat(_spares).ToList())
        {
            try
            {
                m.Device.Write(BitmapByteOffset, area);
                m.Device.Flush();
            }
            catch (IOException e)
            {
                FailLocked(m, $"bitmap write failed: {e.Message}");
            }
        }
    }

    // Clears idle, flushed bits (all flushed ones when quiescing). md never clears while degraded: the
    // bits then tell a returning member what it missed.
    private void SweepBitmap(bool all)
    {
        if (_bitmap is null || LostSlots() > 0)
        {
            return;
        }

        if (_bitmap.ClearIdle(_time.GetUtcNow(), all))
        {
            _bitmap.Header.EventsCleared = _array.Events;
            WriteBitmap();
        }
    }

    /// <summary>
    /// Makes the array safe to lose power: flushes every member, clears the bitmap and marks the array
    /// clean (resync_offset = MaxSector). The next write marks it dirty again. Used before a power-loss
    /// shutdown and after the array has been idle.
    /// </summary>
    public void Quiesce()
    {
        lock (_gate)
        {
            QuiesceLocked();
        }
    }

    /// <summary>md's safe-mode timer: quiesces when nothing was written for the bitmap's daemon sleep (or 5 s).</summary>
    public bool QuiesceIfIdle()
    {
        lock (_gate)
        {
            if (_disposed || _array.IsClean || IsFailedLocked())
            {
                return false;
            }

            uint seconds = _bitmap?.Header.DaemonSleepSeconds ?? BitmapSuperblock.DefaultDaemonSleepSeconds;
            if (_time.GetUtcNow() - _lastWrite < TimeSpan.FromSeconds(seconds))
            {
                return false;
            }

            QuiesceLocked();
            return true;
        }
    }

    private void QuiesceLocked()
    {
        if (_disposed || IsFailedLocked())
        {
            return;
        }

        FlushLocked();
        _bitmap?.DataFlushed();
        if (!NeedsResync && !_array.IsClean && !IsFailedLocked())
        {
            if (_bitmap is not null && LostSlots() == 0)
            {
                _bitmap.ClearIdle(_time.GetUtcNow(), all: true);
                _bitmap.Header.EventsCleared = _array.Events + 1;
            }

            _array.ResyncOffset = MdSuperblock.MaxSector;
            WriteSuperblocks();
        }
        else
        {
            SweepBitmap(all: true);
        }
    }

    /// <summary>
    /// md's resync after an unclean stop: makes parity (or the mirrors) agree again over the dirty
    /// bitmap chunks, or over the whole array without a bitmap, then marks the array clean. Returns the
    /// sectors of the sync domain that were resynced.
    /// </summary>
    public long Resync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(long Start, long End)> ranges;
        lock (_gate)
        {
            ThrowIfFailed();
            if (!NeedsResync)
            {
                return 0;
            }

            if (LostSlots() > 0)
            {
                throw new InvalidOperationException($"array {_array.SetUuid} is degraded: a resync needs every member (rebuild first)");
            }

            ranges = _bitmap?.DirtyRanges() ?? [(0, SyncDomainSectors(Geometry))];
        }

        long total = ranges.Sum(r => r.End - r.Start);
        RepairRanges("resync", ranges, total, cancellationToken);
        lock (_gate)
        {
            NeedsResync = false;
            FlushLocked();
            if (_bitmap is not null)
            {
                _bitmap.DataFlushed();
                foreach ((long start, long end) in ranges)
                {
                    _bitmap.ClearRange(start, end);
                }
            }

            QuiesceLocked();
        }

        return total;
    }

    private void FlushLocked()
    {
        CompleteRebuildWrite();
        foreach (RaidMember m in WorkingMembers().ToList())
        {
            try
            {
                m.Device.Flush();
            }
            catch (IOException e)
            {
                FailLocked(m, $"flush failed: {e.Message}");
            }
        }
    }
}
