using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Parity;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

/// <summary>
/// A running md-format array over member ports: logical reads and writes at any offset and length,
/// degraded operation, member failure, rebuild and scrub. One caller at a time (calls are serialised);
/// member trouble becomes member state, and only a loss beyond the redundancy raises
/// <see cref="ArrayFailedException"/>.
/// </summary>
public sealed partial class RaidArray : IDisposable
{
    private const int ScrubPageBytes = 4096;

    private readonly object _gate = new();
    private readonly RaidMember?[] _slots;
    private readonly List<RaidMember> _spares = [];
    private readonly List<RaidMember> _faulty = [];
    private readonly MdSuperblock _array;
    private readonly TimeProvider _time;
    private readonly byte[] _stripe;
    private readonly byte[] _scratch;
    private readonly int[] _offsets;
    private readonly bool[] _present;
    private readonly bool[] _wanted;
    private readonly List<string> _log = [];
    private bool _disposed;

    internal RaidArray(ArrayGeometry geometry, MdSuperblock arraySuperblock, IEnumerable<RaidMember> members, TimeProvider time)
    {
        Geometry = geometry;
        _array = arraySuperblock;
        _time = time;
        _slots = new RaidMember?[geometry.RaidDisks];
        foreach (RaidMember m in members)
        {
            switch (m.State)
            {
                case MemberState.Spare:
                    _spares.Add(m);
                    break;
                case MemberState.Faulty:
                    _faulty.Add(m);
                    break;
                default:
                    _slots[m.Slot] = m;
                    break;
            }
        }

        int unit = geometry.IsParity ? geometry.ChunkBytes : 0;
        _stripe = new byte[unit * geometry.RaidDisks];
        _scratch = new byte[unit * 2];
        _offsets = new int[geometry.RaidDisks];
        _present = new bool[geometry.RaidDisks];
        _wanted = new bool[geometry.RaidDisks];
        NeedsResync = !arraySuperblock.IsClean;
        // Speed limits are about wall-clock throughput, whatever clock stamps the superblocks.
        Throttle = new SyncThrottle(TimeProvider.System);
    }

    public ArrayGeometry Geometry { get; }

    public MdUuid Uuid => _array.SetUuid;

    public string Name => _array.SetName;

    public ulong Events => _array.Events;

    public long LengthBytes => Geometry.ArrayBytes;

    /// <summary>The array was not shut down cleanly: parity or mirrors may disagree until a repair.</summary>
    public bool NeedsResync { get; private set; }

    /// <summary>Messages about member trouble, oldest first.</summary>
    public IReadOnlyList<string> Log
    {
        get { lock (_gate) { return [.. _log]; } }
    }

    public IReadOnlyList<RaidMember> Members
    {
        get
        {
            lock (_gate)
            {
                return [.. _slots.Where(m => m is not null).Cast<RaidMember>(), .. _spares, .. _faulty];
            }
        }
    }

    public RaidMember? MemberInSlot(int slot)
    {
        lock (_gate)
        {
            return _slots[slot];
        }
    }

    /// <summary>Slots without an in-sync member.</summary>
    public int DegradedCount
    {
        get { lock (_gate) { return _slots.Count(m => m is null || m.State != MemberState.InSync); } }
    }

    public bool IsFailed
    {
        get { lock (_gate) { return LostSlots() > Geometry.Redundancy && !MirrorSurvives(); } }
    }

    /// <summary>The array's state as mdadm --detail words it: failed, or clean/active plus degraded and recovering.</summary>
    public string StateText
    {
        get
        {
            if (IsFailed)
            {
                return "failed";
            }

            var parts = new List<string> { NeedsResync ? "active, resync needed" : IsDirty ? "active" : "clean" };
            if (DegradedCount > 0)
            {
                parts.Add("degraded");
            }

            if (Members.Any(m => m.State == MemberState.Recovering))
            {
                parts.Add("recovering");
            }

            return string.Join(", ", parts);
        }
    }

    public void Read(long offset, Span<byte> destination)
    {
        lock (_gate)
        {
            CheckRange(offset, destination.Length);
            Throttle.NoteForeground();
            switch (Geometry.Level)
            {
                case RaidLevel.Raid0:
                    Raid0Io(offset, destination, default, write: false);
                    break;
                case RaidLevel.Raid1:
                case RaidLevel.Raid10:
                    MirrorRead(offset, destination);
                    break;
                default:
                    ParityRead(offset, destination);
                    break;
            }
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> source)
    {
        lock (_gate)
        {
            CheckRange(offset, source.Length);
            Throttle.NoteForeground();
            _lastWrite = _time.GetUtcNow();
            bool bitsChanged = BitmapMarkWrite(offset, source.Length);
            if (!MarkDirty() && bitsChanged)
            {
                WriteBitmap();
                ThrowIfFailed();
            }

            switch (Geometry.Level)
            {
                case RaidLevel.Raid0:
                    Raid0Io(offset, default, source, write: true);
                    break;
                case RaidLevel.Raid1:
                case RaidLevel.Raid10:
                    MirrorWrite(offset, source);
                    break;
                default:
                    ParityWrite(offset, source);
                    break;
            }
        }
    }

    /// <summary>
    /// Makes every acknowledged write durable on every working member; bitmap chunks that have been idle
    /// for the daemon sleep are then cleared.
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FlushLocked();
            ThrowIfFailed();
            _bitmap?.DataFlushed();
            SweepBitmap(all: false);
        }
    }

    /// <summary>Flushes and records a clean shutdown (resync_offset = MaxSector) unless a resync is owed.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            CompleteRebuildWrite();
            QuiesceLocked();
            _disposed = true;
        }
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (IOException)
        {
            // The members are already marked; disposing must not throw.
        }

        foreach (RaidMember m in Members)
        {
            m.Device.Dispose();
        }
    }

    /// <summary>Marks a member faulty, as mdadm --fail does; a spare, if any, takes its slot and waits for rebuild.</summary>
    public void Fail(RaidMember member, string reason)
    {
        lock (_gate)
        {
            FailLocked(member, reason);
        }
    }

    /// <summary>Drops a faulty or spare member from the array (mdadm --remove).</summary>
    public void Remove(RaidMember member)
    {
        lock (_gate)
        {
            if (member.State is not (MemberState.Faulty or MemberState.Spare))
            {
                throw new InvalidOperationException($"{member.Device.Name} is {member.State}; fail it before removing it");
            }

            _faulty.Remove(member);
            _spares.Remove(member);
            _array.DevRoles[member.Superblock.DevNumber] = DiskRoles.Spare;
            if (member.State == MemberState.Spare)
            {
                // A removed spare must not come back by UUID: clear its role and leave it stale.
                member.Superblock.Events = 0;
            }

            WriteSuperblocks();
        }
    }

    /// <summary>
    /// Adds a device: into an empty or faulty slot as a recovering member (rebuild fills it), otherwise
    /// as a hot spare. Writes its superblock at once. A device that was this array's member and left it
    /// comes back into its old role with bitmap-based recovery when the array has a bitmap that covers
    /// what it missed (mdadm --re-add; see <see cref="RaidMember.BitmapRecovery"/>).
    /// </summary>
    public RaidMember Add(IBlockDevice device)
    {
        lock (_gate)
        {
            long needed = ((long)_array.DataOffset + Geometry.MemberSectors) * 512;
            if (device.LengthBytes < needed)
            {
                throw new ArgumentException($"{device.Name} has {device.LengthBytes} bytes; members of this array need at least {needed}");
            }

            if (TryReAdd(device) is { } returning)
            {
                return returning;
            }

            MdSuperblock sb = _array.Clone();
            sb.DeviceUuid = MdUuid.NewRandom();
            sb.DevNumber = (uint)FreeDevNumber();
            sb.DataSize = (ulong)(device.LengthBytes / 512) - sb.DataOffset;
            sb.RecoveryOffset = 0;
            int slot = Array.FindIndex(_slots, m => m is null);
            RaidMember member;
            if (slot >= 0)
            {
                member = new RaidMember(device, sb, MemberState.Recovering, slot);
                _slots[slot] = member;
                _array.DevRoles[sb.DevNumber] = (ushort)slot;
            }
            else
            {
                member = new RaidMember(device, sb, MemberState.Spare, -1);
                _spares.Add(member);
                _array.DevRoles[sb.DevNumber] = DiskRoles.Spare;
            }

            WriteSuperblocks();
            return member;
        }
    }

    // md's rule for a returning member (super_1_validate with a bitmap): same array, its old role free,
    // it was in sync when it left, and its events are no older than the bitmap's events_cleared, so
    // every chunk written since it left still has its bit set (bits are never cleared while degraded).
    private RaidMember? TryReAdd(IBlockDevice device)
    {
        if (_bitmap is null || ArrayAssembler.ReadSuperblock(device, out _) is not { } old || old.SetUuid != _array.SetUuid)
        {
            return null;
        }

        return TryReAdd(device, old, out _);
    }

    /// <summary>
    /// mdadm --assemble with an internal bitmap: a member whose events are behind the array's goes back
    /// into its role when the bitmap still covers what it missed, and resyncs only the dirty chunks.
    /// Null, with the reason, when it does not qualify (it then needs a full rebuild).
    /// </summary>
    internal RaidMember? ReAddAtAssembly(IBlockDevice device, MdSuperblock old, out string refusal)
    {
        lock (_gate)
        {
            if (_bitmap is null)
            {
                refusal = "the array has no write-intent bitmap to tell what it missed";
                return null;
            }

            return TryReAdd(device, old, out refusal);
        }
    }

    private RaidMember? TryReAdd(IBlockDevice device, MdSuperblock old, out string refusal)
    {
        WriteIntentBitmap bitmap = _bitmap!;
        int role = old.Role;
        bool takenByNumber = _slots.Concat(_spares).Any(m => m is not null && m.Superblock.DevNumber == old.DevNumber);

        // Its dev_roles entry is free (spare or faulty: it was failed or removed), or still names its own
        // role (it went missing without being failed).
        bool numberFree = old.DevNumber < _array.DevRoles.Length && !takenByNumber &&
            (_array.DevRoles[old.DevNumber] is DiskRoles.Spare or DiskRoles.Faulty || _array.DevRoles[old.DevNumber] == role);
        refusal = string.Empty;
        if (role >= _slots.Length)
        {
            refusal = $"it was not active when it left (role 0x{role:x})";
        }
        else if (_slots[role] is { } holder)
        {
            refusal = $"its role {role} is held by {holder.Device.Name}";
        }
        else if (old.Events < bitmap.Header.EventsCleared || old.Events > _array.Events)
        {
            refusal = $"the bitmap was cleared at events {bitmap.Header.EventsCleared}, after the member left at {old.Events}, so it does not cover what the member missed";
        }
        else if (!numberFree)
        {
            refusal = $"its device number {old.DevNumber} is in use";
        }
        else if (old.DataOffset != _array.DataOffset)
        {
            refusal = $"its data offset {old.DataOffset} differs from the array's {_array.DataOffset}";
        }

        if (refusal.Length > 0)
        {
            return null;
        }

        // The faulty entry it left behind goes; its old handle too, unless it is this very device.
        foreach (RaidMember gone in _faulty.Where(f => f.Superblock.DevNumber == old.DevNumber).ToList())
        {
            _faulty.Remove(gone);
            if (!ReferenceEquals(gone.Device, device))
            {
                gone.Device.Dispose();
            }
        }

        // A member that was itself recovering when it left starts its recovery again from the start, as
        // md's remove_and_add_spares sets recovery_offset to 0 for every device it hot-adds: writes made
        // while it was away may lie below its old recovery_offset. Its recovery stays bitmap-based only
        // if it was (MD_FEATURE_RECOVERY_BITMAP); one part way through a full rebuild is rebuilt in full
        // (super_1_validate leaves saved_raid_disk at -1 for it, so md does a full recovery).
        bool fullRebuild = (old.FeatureMap & MdFeatures.RecoveryOffset) != 0 && (old.FeatureMap & MdFeatures.RecoveryBitmap) == 0;
        MdSuperblock sb = _array.Clone();
        sb.DeviceUuid = old.DeviceUuid;
        sb.DevNumber = old.DevNumber;
        sb.DataSize = (ulong)(device.LengthBytes / 512) - sb.DataOffset;
        sb.RecoveryOffset = 0;
        var member = new RaidMember(device, sb, MemberState.Recovering, role) { BitmapRecovery = !fullRebuild };
        _slots[role] = member;
        _array.DevRoles[sb.DevNumber] = (ushort)role;
        _log.Add(fullRebuild
            ? $"{device.Name}: re-added as role {role} (events {old.Events}); it left part way through a full rebuild (recovery_offset {old.RecoveryOffset}), which starts again from the beginning"
            : $"{device.Name}: re-added as role {role} (events {old.Events}, bitmap cleared at {bitmap.Header.EventsCleared}); only the bitmap's {bitmap.DirtyCount} dirty chunk(s) are resynced");
        WriteSuperblocks();
        return member;
    }

    private int FreeDevNumber()
    {
        var used = new HashSet<uint>(Members.Select(m => m.Superblock.DevNumber));
        for (int i = 0; i < _array.DevRoles.Length; i++)
        {
            if (!used.Contains((uint)i) && _array.DevRoles[i] is DiskRoles.Spare or DiskRoles.Faulty)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"all {_array.DevRoles.Length} dev_roles entries are in use");
    }

    private void FailLocked(RaidMember member, string reason)
    {
        if (ReferenceEquals(member, _rebuildTarget))
        {
            // Nothing of the rebuild's may land on the member after it is failed.
            CompleteRebuildWrite();
        }

        // Reads planned ahead may include this member: plan them again.
        _prefetchTouched = true;

        if (member.State == MemberState.Faulty)
        {
            return;
        }

        _log.Add($"{member.Device.Name}: failed ({reason})");
        int slot = member.Slot;
        _spares.Remove(member);
        if (slot >= 0 && ReferenceEquals(_slots[slot], member))
        {
            _slots[slot] = null;
        }

        member.State = MemberState.Faulty;
        member.FailReason = reason;
        member.Slot = -1;
        _faulty.Add(member);
        _array.DevRoles[member.Superblock.DevNumber] = DiskRoles.Faulty;
        if (slot >= 0 && _spares.Count > 0)
        {
            MoveSpareInto(slot);
        }

        WriteSuperblocks();
    }

    /// <summary>
    /// What md does when it starts an array with a role empty and a spare at hand (remove_and_add_spares):
    /// the spare takes the role, to be rebuilt. Returns the spares moved, with their new roles.
    /// </summary>
    internal List<(RaidMember Spare, int Slot)> TakeSparesIntoEmptyRoles()
    {
        lock (_gate)
        {
            var moved = new List<(RaidMember, int)>();
            if (Geometry.Level == RaidLevel.Raid0 || IsFailedLocked())
            {
                return moved;
            }

            for (int slot = 0; slot < _slots.Length && _spares.Count > 0; slot++)
            {
                if (_slots[slot] is null)
                {
                    moved.Add((MoveSpareInto(slot), slot));
                }
            }

            if (moved.Count > 0)
            {
                WriteSuperblocks();
            }

            return moved;
        }
    }

    // Under the lock: the first spare takes empty role `slot` as a recovering member (superblocks not yet written).
    private RaidMember MoveSpareInto(int slot)
    {
        RaidMember spare = _spares[0];
        _spares.RemoveAt(0);
        spare.State = MemberState.Recovering;
        spare.Slot = slot;
        spare.RecoveredSectors = 0;
        spare.BitmapRecovery = false;
        _slots[slot] = spare;
        _array.DevRoles[spare.Superblock.DevNumber] = (ushort)slot;
        _log.Add($"{spare.Device.Name}: spare takes role {slot}; rebuild needed");
        return spare;
    }

    // Bumps events and writes every working member's superblock (md_update_sb). A member that fails
    // here is marked faulty and the round repeats without it.
    private void WriteSuperblocks()
    {
        while (true)
        {
            _array.Events++;
            _array.UpdateTime = _time.GetUtcNow();
            RaidMember? failed = null;
            string reason = string.Empty;
            foreach (RaidMember m in WorkingMembers().Concat(_spares))
            {
                MdSuperblock sb = m.Superblock;
                sb.Events = _array.Events;
                sb.UpdateTime = _array.UpdateTime;
                sb.ResyncOffset = _array.ResyncOffset;
                sb.DevRoles = (ushort[])_array.DevRoles.Clone();
                if (m.State == MemberState.Recovering)
                {
                    sb.FeatureMap |= MdFeatures.RecoveryOffset;
                    sb.RecoveryOffset = (ulong)m.RecoveredSectors;
                }
                else
                {
                    sb.FeatureMap &= ~MdFeatures.RecoveryOffset;
                    sb.RecoveryOffset = 0;
                }

                // md_p.h MD_FEATURE_RECOVERY_BITMAP: the recovery may skip the bitmap's clean chunks.
                if (m.State == MemberState.Recovering && m.BitmapRecovery)
                {
                    sb.FeatureMap |= MdFeatures.RecoveryBitmap;
                }
                else
                {
                    sb.FeatureMap &= ~MdFeatures.RecoveryBitmap;
                }

                try
                {
                    // The bitmap first (md_update_sb calls md_bitmap_update_sb before the superblocks),
                    // so its events never lag the superblock's.
                    if (_bitmap is not null)
                    {
                        _bitmap.Header.Events = _array.Events;
                        byte[] area = new byte[_bitmap.AreaBytes];
                        _bitmap.WriteArea(area);
                        m.Device.Write(BitmapByteOffset, area);
                    }

                    byte[] bytes = sb.ToBytes();
                    m.Device.Write(MdSuperblock.ByteOffsetV12, bytes);
                    m.Device.Flush();
                }
                catch (IOException e)
                {
                    failed = m;
                    reason = $"superblock write failed: {e.Message}";
                    break;
                }
            }

            if (failed is null)
            {
                return;
            }

            // FailLocked writes the superblocks again without the failed member.
            FailLocked(failed, reason);
            return;
        }
    }

    // Clean to dirty (md_write_start): the superblocks say "active" before the first write lands.
    // True when the superblocks (and the bitmap with them) were written.
    private bool MarkDirty()
    {
        ThrowIfFailed();
        if (_array.IsClean)
        {
            _array.ResyncOffset = 0;
            WriteSuperblocks();
            ThrowIfFailed();
            return true;
        }

        return false;
    }

    private IEnumerable<RaidMember> WorkingMembers()
    {
        foreach (RaidMember? m in _slots)
        {
            if (m is not null && m.State is MemberState.InSync or MemberState.Recovering)
            {
                yield return m;
            }
        }
    }

    private int LostSlots() => _slots.Count(m => m is null || m.State != MemberState.InSync);

    // RAID10 may survive more losses than its guaranteed redundancy when the right members remain.
    private bool MirrorSurvives()
    {
        if (Geometry.Level != RaidLevel.Raid10)
        {
            return false;
        }

        Span<MemberAddress> copies = stackalloc MemberAddress[Geometry.Copies];
        long chunks = Math.Min(Geometry.ArraySectors / Geometry.ChunkSectors, Geometry.RaidDisks * 2L);
        for (long c = 0; c < chunks; c++)
        {
            int count = Geometry.MapCopies(c * Geometry.ChunkSectors, copies);
            bool any = false;
            for (int i = 0; i < count; i++)
            {
                any |= _slots[copies[i].Disk]?.State == MemberState.InSync;
            }

            if (!any)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsFailedLocked() => LostSlots() > Geometry.Redundancy && !MirrorSurvives();

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsFailedLocked())
        {
            throw new ArrayFailedException(
                $"array {_array.SetUuid} has failed: {LostSlots()} of {Geometry.RaidDisks} members lost, RAID{(int)Geometry.Level} survives {Geometry.Redundancy}");
        }
    }

    private void CheckRange(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset + length > LengthBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}..{offset + length} are outside the array's {LengthBytes} bytes");
        }
    }

    private bool Readable(int slot, long memberByteEnd)
    {
        RaidMember? m = _slots[slot];
        return m is not null && (m.State == MemberState.InSync || (m.State == MemberState.Recovering && memberByteEnd <= m.RecoveredSectors * 512));
    }

    private bool Writable(int slot) => _slots[slot] is { State: MemberState.InSync or MemberState.Recovering };

    // Reads from a member; on an I/O error the member is failed and false returned.
    private bool MemberRead(int slot, long memberByte, Span<byte> destination)
    {
        RaidMember m = _slots[slot]!;
        try
        {
            m.Device.Read(m.DataOffsetBytes + memberByte, destination);
            return true;
        }
        catch (IOException e)
        {
            FailLocked(m, $"read error: {e.Message}");
            return false;
        }
    }

    private void MemberWrite(int slot, long memberByte, ReadOnlySpan<byte> source)
    {
        // First, as it may fail the member (the rebuild's write went wrong) and free the slot.
        WaitForRebuildWriteAt(slot, memberByte, source.Length);
        NotePrefetchOverlap(memberByte, source.Length);
        if (!Writable(slot))
        {
            return;
        }

        RaidMember m = _slots[slot]!;
        try
        {
            m.Device.Write(m.DataOffsetBytes + memberByte, source);
        }
        catch (IOException e)
        {
            FailLocked(m, $"write error: {e.Message}");
        }
    }

    private void Raid0Io(long offset, Span<byte> destination, ReadOnlySpan<byte> source, bool write)
    {
        int length = write ? source.Length : destination.Length;
        int done = 0;
        while (done < length)
        {
            long pos = offset + done;
            long chunk = pos / Geometry.ChunkBytes;
            int inChunk = (int)(pos % Geometry.ChunkBytes);
            int n = Math.Min(length - done, Geometry.ChunkBytes - inChunk);
            var at = new MemberAddress((int)(chunk % Geometry.RaidDisks), 0);
            long memberByte = (chunk / Geometry.RaidDisks * Geometry.ChunkBytes) + inChunk;
            ThrowIfFailed();
            if (write)
            {
                MemberWrite(at.Disk, memberByte, source.Slice(done, n));
            }
            else if (!MemberRead(at.Disk, memberByte, destination.Slice(done, n)))
            {
                ThrowIfFailed();
            }

            done += n;
        }

        ThrowIfFailed();
    }
}
