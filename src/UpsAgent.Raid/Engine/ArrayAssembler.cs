using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

/// <summary>
/// Starts an array from its members' superblocks, as mdadm --assemble and the kernel's super_1_validate
/// do: one array UUID, identical geometry, the freshest superblock's dev_roles decide each role, and
/// members more than one event behind are stale: left out, unless the array's write-intent bitmap
/// still covers what they missed (then re-added, to resync only the dirty chunks, or rebuilt in full
/// when they left part way through a full rebuild). A device that was a spare when it left comes back
/// as a spare, however old.
/// </summary>
public static class ArrayAssembler
{
    public static MdSuperblock? ReadSuperblock(IBlockDevice device, out string problem)
    {
        if (device.LengthBytes < MdSuperblock.ByteOffsetV12 + 4096)
        {
            problem = $"{device.Name}: too short to hold a v1.2 superblock ({device.LengthBytes} bytes)";
            return null;
        }

        byte[] buffer = new byte[4096];
        try
        {
            device.Read(MdSuperblock.ByteOffsetV12, buffer);
        }
        catch (IOException e)
        {
            problem = $"{device.Name}: cannot read the superblock: {e.Message}";
            return null;
        }

        MdSuperblock? sb = MdSuperblock.TryParse(buffer, device.LengthBytes / 512, out problem);
        if (sb is null)
        {
            problem = $"{device.Name}: {problem}";
        }

        return sb;
    }

    public static AssembleResult Assemble(IReadOnlyList<IBlockDevice?> devices, TimeProvider time, bool force = false)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var found = new List<(IBlockDevice Device, MdSuperblock Sb)>();
        foreach (IBlockDevice? device in devices)
        {
            if (device is null)
            {
                continue;
            }

            MdSuperblock? sb = ReadSuperblock(device, out string problem);
            if (sb is null)
            {
                errors.Add(problem);
            }
            else
            {
                found.Add((device, sb));
            }
        }

        if (errors.Count > 0 || found.Count == 0)
        {
            if (found.Count == 0 && errors.Count == 0)
            {
                errors.Add("no members given");
            }

            return new AssembleResult(null, errors, warnings);
        }

        MdSuperblock first = found[0].Sb;
        foreach ((IBlockDevice d, MdSuperblock sb) in found.Skip(1))
        {
            if (sb.SetUuid != first.SetUuid)
            {
                errors.Add($"{d.Name}: belongs to array {sb.SetUuid}, but {found[0].Device.Name} belongs to {first.SetUuid}");
            }
        }

        if (errors.Count == 0)
        {
            CheckGeometryAgrees(found, errors);
        }

        if (errors.Count > 0)
        {
            return new AssembleResult(null, errors, warnings);
        }

        MdSuperblock reference = found.MaxBy(f => f.Sb.Events).Sb;
        var level = (RaidLevel)reference.Level;
        if (ArrayGeometry.Validate(level, (int)reference.RaidDisks, Math.Max((int)reference.ChunkSectors, 8), reference.Layout) is { } invalid)
        {
            return new AssembleResult(null, [$"{found[0].Device.Name}: {invalid}"], warnings);
        }

        var geometry = new ArrayGeometry(level, (int)reference.RaidDisks, Math.Max((int)reference.ChunkSectors, 8), reference.Layout, (long)reference.Size);
        var members = new List<RaidMember>();
        var taken = new RaidMember?[geometry.RaidDisks];
        var stale = new List<(IBlockDevice Device, MdSuperblock Sb)>();
        foreach ((IBlockDevice d, MdSuperblock sb) in found.OrderByDescending(f => f.Sb.Events))
        {
            long needed = ((long)sb.DataOffset + geometry.MemberSectors) * 512;
            if (d.LengthBytes < needed)
            {
                errors.Add($"{d.Name}: member is shorter than the array: {d.LengthBytes} bytes, needs {needed}");
                continue;
            }

            ushort role = sb.DevNumber < reference.DevRoles.Length ? reference.DevRoles[sb.DevNumber] : DiskRoles.Spare;
            if (sb.Events + 1 < reference.Events && sb.Role == DiskRoles.Spare)
            {
                if (StaleSpare(d, sb, reference, geometry, members, warnings) is { } spare)
                {
                    members.Add(spare);
                }

                continue;
            }

            if (sb.Events + 1 < reference.Events)
            {
                // With a bitmap it may come back once the array (and its bitmap) is up; see below.
                stale.Add((d, sb));
                continue;
            }

            if (role == DiskRoles.Faulty)
            {
                warnings.Add($"{d.Name}: marked faulty in the array; left out: remove it and add a replacement");
                members.Add(new RaidMember(d, sb, MemberState.Faulty, -1) { FailReason = "marked faulty in the superblocks" });
                continue;
            }

            if (role == DiskRoles.Spare)
            {
                members.Add(new RaidMember(d, sb, MemberState.Spare, -1));
                continue;
            }

            if (role >= geometry.RaidDisks)
            {
                warnings.Add($"{d.Name}: role {role} is outside the array's {geometry.RaidDisks} members; left out");
                continue;
            }

            if (taken[role] is { } holder)
            {
                warnings.Add($"{d.Name}: claims role {role}, already held by {holder.Device.Name}; left out");
                continue;
            }

            bool recovering = (sb.FeatureMap & MdFeatures.RecoveryOffset) != 0;
            var member = new RaidMember(d, sb, recovering ? MemberState.Recovering : MemberState.InSync, role)
            {
                RecoveredSectors = recovering ? (long)sb.RecoveryOffset : 0,

                // A re-added member part way through its bitmap-based recovery (md's RECOVERY_BITMAP).
                BitmapRecovery = recovering && (sb.FeatureMap & MdFeatures.RecoveryBitmap) != 0,
            };
            taken[role] = member;
            members.Add(member);
        }

        // Members that cannot come back because the array does not start say so too.
        if (errors.Count > 0)
        {
            LeaveOut(stale, reference, "the array did not start", warnings);
            return new AssembleResult(null, errors, warnings);
        }

        int lost = taken.Count(m => m is null || m.State != MemberState.InSync);
        if (lost > geometry.Redundancy && level != RaidLevel.Raid10)
        {
            errors.Add($"only {geometry.RaidDisks - lost} of {geometry.RaidDisks} members are usable; RAID{(int)level} needs at least {geometry.RaidDisks - geometry.Redundancy}");
            LeaveOut(stale, reference, "the array did not start", warnings);
            return new AssembleResult(null, errors, warnings);
        }

        if (!reference.IsClean && lost > 0 && geometry.Redundancy > 0 && !force)
        {
            errors.Add("the array was not shut down cleanly and is degraded: reconstructed data may be stale (md refuses too); use --force to start it anyway");
            LeaveOut(stale, reference, "the array did not start", warnings);
            return new AssembleResult(null, errors, warnings);
        }

        for (int slot = 0; slot < taken.Length; slot++)
        {
            if (taken[slot] is null)
            {
                warnings.Add($"role {slot}: missing");
            }
        }

        MdSuperblock arraySb = reference.Clone();
        var array = new RaidArray(geometry, arraySb, members, time);
        if (array.IsFailed)
        {
            array.Dispose();
            LeaveOut(stale, reference, "the array did not start", warnings);
            return new AssembleResult(null, [$"RAID10 has lost every copy of some data: only {geometry.RaidDisks - lost} of {geometry.RaidDisks} members usable"], warnings);
        }

        bool bitmapTrusted = false;
        if ((reference.FeatureMap & MdFeatures.BitmapOffset) != 0)
        {
            // The bitmap is written back where the superblock says: never over the superblock, the
            // bad-block log or the data.
            foreach (RaidMember m in members.Where(m => m.Slot >= 0))
            {
                long room = BitmapRoomBytes(m.Superblock);
                if (m.Superblock.BitmapOffset != reference.BitmapOffset || m.Superblock.BitmapOffset * 512L < m.Superblock.OnDiskBytes || room < 512)
                {
                    array.Dispose();
                    LeaveOut(stale, reference, "the array did not start", warnings);
                    return new AssembleResult(null, [$"{m.Device.Name}: bitmap_offset {m.Superblock.BitmapOffset} sectors (the array's: {reference.BitmapOffset}) leaves no room for the bitmap between the superblock and the data at {m.Superblock.DataOffset}; assembly stopped"], warnings);
                }
            }

            array.AttachBitmap(LoadBitmap(array, members, reference, warnings, out bitmapTrusted, out bool rewrite));
            if (rewrite)
            {
                // Every member gets the bitmap the array now goes by, in place of the bad copies.
                array.RewriteBitmap();
            }
        }

        ReAddStale(array, stale, reference, bitmapTrusted, warnings);

        // Then, as md starts a degraded array, a spare takes each role still empty and recovers into it.
        foreach ((RaidMember spare, int slot) in array.TakeSparesIntoEmptyRoles())
        {
            warnings.Add($"{spare.Device.Name}: spare takes the empty role {slot}, as md does at assembly; it is rebuilt (recovery) from the other members");
        }

        if (array.NeedsResync)
        {
            warnings.Add(array.Bitmap is null
                ? "the array was not shut down cleanly: a full resync is needed"
                : $"the array was not shut down cleanly: {array.Bitmap.DirtyCount} dirty bitmap chunk(s) need a resync");
        }

        return new AssembleResult(array, errors, warnings);
    }

    // mdadm's compare_super1 (and the kernel's "strangely different superblock"): every member of one
    // array must agree on level, layout, chunk, raid_disks and size, or assembly stops. A superblock
    // with a valid checksum can still carry a wrong field (a bad write, a tool, a hand edit): the
    // members that agree outvote it, and the message names the member and each field it disagrees on.
    private static void CheckGeometryAgrees(List<(IBlockDevice Device, MdSuperblock Sb)> found, List<string> errors)
    {
        var groups = found.GroupBy(f => (f.Sb.Level, f.Sb.Layout, f.Sb.ChunkSectors, f.Sb.RaidDisks, f.Sb.Size)).OrderByDescending(g => g.Count()).ToList();
        if (groups.Count == 1)
        {
            return;
        }

        if (groups[0].Count() == groups[1].Count())
        {
            errors.Add("the members disagree on the array's shape and no shape has a majority: " +
                       string.Join("; ", groups.Select(g => $"{string.Join(", ", g.Select(f => f.Device.Name))}: {Shape(g.First().Sb)}")) +
                       "; give only the members that belong together");
            return;
        }

        MdSuperblock majority = groups[0].First().Sb;
        foreach ((IBlockDevice d, MdSuperblock sb) in groups.Skip(1).SelectMany(g => g))
        {
            var fields = new List<string>();
            if (sb.Level != majority.Level)
            {
                fields.Add($"level {sb.Level} (the others: {majority.Level})");
            }

            if (sb.Layout != majority.Layout)
            {
                fields.Add($"layout {sb.Layout} (the others: {majority.Layout})");
            }

            if (sb.ChunkSectors != majority.ChunkSectors)
            {
                fields.Add($"chunk {sb.ChunkSectors / 2}K (the others: {majority.ChunkSectors / 2}K)");
            }

            if (sb.RaidDisks != majority.RaidDisks)
            {
                fields.Add($"raid_disks {sb.RaidDisks} (the others: {majority.RaidDisks})");
            }

            if (sb.Size != majority.Size)
            {
                fields.Add($"size {sb.Size} sectors (the others: {majority.Size})");
            }

            errors.Add($"{d.Name}: superblock does not match the other members: {string.Join(", ", fields)}; assembly stopped " +
                       "(give 'missing' in its place to start the array without it)");
        }
    }

    private static string Shape(MdSuperblock sb) =>
        $"RAID{sb.Level} layout {sb.Layout}, chunk {sb.ChunkSectors / 2}K, {sb.RaidDisks} members, size {sb.Size}";

    // A device that was a spare when it last wrote its superblock holds none of the array's data, so
    // what it missed does not matter: md's super_1_validate checks events only for a device whose own
    // dev_roles entry is active, and mdadm's Assemble counts a device that is not active as up to date.
    // Its role is what the freshest superblock says for its device number (super_1_validate, assembling
    // with an older device): a spare comes back as a spare, one the array marked faulty stays faulty.
    // A device number the array has since given to another device or to a role stays with that.
    private static RaidMember? StaleSpare(IBlockDevice d, MdSuperblock sb, MdSuperblock reference, ArrayGeometry geometry, List<RaidMember> members, List<string> warnings)
    {
        string left = $"{d.Name}: was a spare when it left (events {sb.Events}, array at {reference.Events})";
        ushort role = sb.DevNumber < reference.DevRoles.Length ? reference.DevRoles[sb.DevNumber] : DiskRoles.Spare;
        if (members.FirstOrDefault(m => m.Superblock.DevNumber == sb.DevNumber) is { } holder)
        {
            warnings.Add($"{left}; its device number {sb.DevNumber} now belongs to {holder.Device.Name}; left out: add it again with 'raid add'");
            return null;
        }

        if (role == DiskRoles.Faulty)
        {
            warnings.Add($"{left}; marked faulty in the array; left out: remove it and add a replacement");
            return new RaidMember(d, sb, MemberState.Faulty, -1) { FailReason = "marked faulty in the superblocks" };
        }

        if (role < geometry.RaidDisks)
        {
            warnings.Add($"{left}; the array now gives its device number {sb.DevNumber} role {role}, for which it holds no data; left out: add it again with 'raid add'");
            return null;
        }

        warnings.Add($"{left}; a spare holds no data, so it comes back as a spare");
        return new RaidMember(d, sb, MemberState.Spare, -1);
    }

    // mdadm --assemble adds an out-of-date member too when the array has an internal bitmap: the kernel
    // takes it back into its role if the bitmap still covers what it missed (super_1_validate against
    // events_cleared) and recovers only the dirty chunks. Otherwise it stays out and needs a full rebuild.
    private static void ReAddStale(RaidArray array, List<(IBlockDevice Device, MdSuperblock Sb)> stale, MdSuperblock reference, bool bitmapTrusted, List<string> warnings)
    {
        foreach ((IBlockDevice d, MdSuperblock sb) in stale)
        {
            string refusal;
            if ((reference.FeatureMap & MdFeatures.BitmapOffset) == 0)
            {
                refusal = "the array has no write-intent bitmap to tell what it missed";
            }
            else if (!bitmapTrusted)
            {
                refusal = "the array's bitmap could not be read intact, so it cannot tell what the member missed";
            }
            else if (array.ReAddAtAssembly(d, sb, out refusal) is { } member)
            {
                string back = $"{d.Name}: out of date (events {sb.Events}, array at {reference.Events}) but covered by the bitmap: re-added as role {member.Slot}";
                bool wasRecovering = (sb.FeatureMap & MdFeatures.RecoveryOffset) != 0;
                warnings.Add(!member.BitmapRecovery
                    ? $"{back}; it left part way through a full rebuild (recovery_offset {sb.RecoveryOffset} sectors), so it is rebuilt in full from the start, as md does"
                    : wasRecovering
                        ? $"{back}; it left part way through its resync (recovery_offset {sb.RecoveryOffset} sectors), which starts again from the beginning, as md does, " +
                          $"over the {array.Bitmap!.DirtyCount} dirty bitmap chunk(s) of {array.Bitmap.Header.ChunkBytes / 1024} KiB only"
                        : $"{back}; only the {array.Bitmap!.DirtyCount} dirty bitmap chunk(s) of {array.Bitmap.Header.ChunkBytes / 1024} KiB are resynced, by the rebuild");
                continue;
            }

            LeaveOut([(d, sb)], reference, refusal, warnings);
        }
    }

    private static void LeaveOut(List<(IBlockDevice Device, MdSuperblock Sb)> stale, MdSuperblock reference, string because, List<string> warnings)
    {
        foreach ((IBlockDevice d, MdSuperblock sb) in stale)
        {
            warnings.Add($"{d.Name}: stale (events {sb.Events}, array at {reference.Events}); left out because {because}: add it back with 'raid add' for a full rebuild");
        }
    }

    /// <summary>
    /// Reads the bitmap from every member that holds a slot and unions the bits. A copy md would refuse
    /// (magic, version, chunk size, daemon sleep, UUID), one whose bits would not fit the space reserved
    /// for them, or copies that disagree on chunk or sync size are not trusted, and each is named in a
    /// warning. With no trusted copy the array starts without believing any bits: a dirty array resyncs
    /// everything, a clean one starts with a fresh clear bitmap, and no older member can re-add. A copy
    /// older than the superblocks means md's "bitmap out of date -- forcing full recovery": all bits set.
    /// </summary>
    private static WriteIntentBitmap LoadBitmap(RaidArray array, List<RaidMember> members, MdSuperblock reference, List<string> warnings, out bool trusted, out bool rewrite)
    {
        long sync = RaidArray.SyncDomainSectors(array.Geometry);
        long offset = MdSuperblock.ByteOffsetV12 + ((long)reference.BitmapOffset * 512);
        long room = BitmapRoomBytes(reference);
        var copies = new List<(RaidMember Member, WriteIntentBitmap Bitmap)>();
        rewrite = false;
        foreach (RaidMember m in members.Where(m => m.Slot >= 0))
        {
            WriteIntentBitmap? copy = ReadBitmapCopy(m, reference, offset, room, sync, out string problem);
            if (copy is null)
            {
                warnings.Add($"{m.Device.Name}: bitmap unusable: {problem}");
                rewrite = true;
            }
            else
            {
                copies.Add((m, copy));
            }
        }

        if (copies.Select(c => (c.Bitmap.Header.ChunkBytes, c.Bitmap.Header.SyncSectors)).Distinct().Count() > 1)
        {
            warnings.Add("bitmap copies disagree: " +
                         string.Join("; ", copies.Select(c => $"{c.Member.Device.Name} chunksize {c.Bitmap.Header.ChunkBytes} bytes, sync size {c.Bitmap.Header.SyncSectors} sectors")) +
                         "; none is trusted");
            copies.Clear();
            rewrite = true;
        }

        trusted = copies.Count > 0;
        if (!trusted)
        {
            long space = Math.Max(1, room / 512);
            WriteIntentBitmap fresh = WriteIntentBitmap.Create(reference.SetUuid, sync, BitmapSuperblock.ChooseChunkBytes(sync, space, null), space, reference.Events);
            if (reference.IsClean)
            {
                warnings.Add("no usable bitmap: the array was shut down cleanly, so a fresh, clear bitmap is written; members that left earlier need a full rebuild");
            }
            else
            {
                fresh.SetAll();
                warnings.Add("no usable bitmap: every chunk counts as dirty (a full resync)");
            }

            return fresh;
        }

        WriteIntentBitmap merged = copies[0].Bitmap;
        ulong newest = copies.Max(c => c.Bitmap.Header.Events);

        // The copies are written together; should they differ, the latest clearing is the safe bound
        // for a re-add (a member must be no older than every copy's events_cleared).
        merged.Header.EventsCleared = copies.Max(c => c.Bitmap.Header.EventsCleared);
        foreach ((RaidMember _, WriteIntentBitmap other) in copies.Skip(1))
        {
            merged.Merge(other);
        }

        if (newest < reference.Events && !reference.IsClean)
        {
            warnings.Add($"bitmap events {newest} are older than the array's {reference.Events}: forcing a full resync");
            merged.SetAll();
        }

        return merged;
    }

    private static WriteIntentBitmap? ReadBitmapCopy(RaidMember m, MdSuperblock reference, long offset, long room, long sync, out string problem)
    {
        try
        {
            byte[] head = new byte[512];
            m.Device.Read(offset, head);
            BitmapSuperblock? header = BitmapSuperblock.TryParse(head, reference.SetUuid, out problem);
            if (header is null)
            {
                return null;
            }

            long needed = BitmapSuperblock.StructBytes + ((header.Bits + 7) / 8);
            if (needed > room)
            {
                problem = $"bitmap chunksize {header.ChunkBytes} bytes over {header.SyncSectors} sectors gives {header.Bits} bits, " +
                          $"{needed} bytes with the header, more than the {room} bytes reserved for the bitmap";
                return null;
            }

            byte[] area = new byte[needed];
            m.Device.Read(offset, area);
            return WriteIntentBitmap.Load(area, reference.SetUuid, sync, out problem);
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }
    }

    // The bytes between the bitmap and whatever follows it on the member: the bad-block log if it
    // comes next, else the data.
    private static long BitmapRoomBytes(MdSuperblock sb)
    {
        long start = sb.BitmapOffset;
        long end = (long)sb.DataOffset - (long)sb.SuperOffset;
        if (sb.BadBlockLogSize > 0 && sb.BadBlockLogOffset > start)
        {
            end = Math.Min(end, sb.BadBlockLogOffset);
        }

        return Math.Max(0, (end - start) * 512);
    }
}
