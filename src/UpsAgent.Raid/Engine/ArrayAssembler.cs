using UpsAgent.Raid.Bitmap;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

/// <summary>
/// Starts an array from its members' superblocks, as mdadm --assemble and the kernel's super_1_validate
/// do: one array UUID, identical geometry, the freshest superblock's dev_roles decide each role, and
/// members more than one event behind are stale: left out, unless the array's write-intent bitmap
/// still covers what they missed (then re-added, to resync only the dirty chunks).
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
            else if (sb.Level != first.Level || sb.Layout != first.Layout || sb.ChunkSectors != first.ChunkSectors ||
                     sb.RaidDisks != first.RaidDisks || sb.Size != first.Size)
            {
                errors.Add($"{d.Name}: superblock disagrees with {found[0].Device.Name} on level/layout/chunk/members/size " +
                           $"(RAID{sb.Level} {sb.Layout}/{sb.ChunkSectors}/{sb.RaidDisks}/{sb.Size} vs RAID{first.Level} {first.Layout}/{first.ChunkSectors}/{first.RaidDisks}/{first.Size})");
            }
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

        if ((reference.FeatureMap & MdFeatures.BitmapOffset) != 0)
        {
            array.AttachBitmap(LoadBitmap(array, members, reference, warnings));
        }

        ReAddStale(array, stale, reference, warnings);
        if (array.NeedsResync)
        {
            warnings.Add(array.Bitmap is null
                ? "the array was not shut down cleanly: a full resync is needed"
                : $"the array was not shut down cleanly: {array.Bitmap.DirtyCount} dirty bitmap chunk(s) need a resync");
        }

        return new AssembleResult(array, errors, warnings);
    }

    // mdadm --assemble adds an out-of-date member too when the array has an internal bitmap: the kernel
    // takes it back into its role if the bitmap still covers what it missed (super_1_validate against
    // events_cleared) and recovers only the dirty chunks. Otherwise it stays out and needs a full rebuild.
    private static void ReAddStale(RaidArray array, List<(IBlockDevice Device, MdSuperblock Sb)> stale, MdSuperblock reference, List<string> warnings)
    {
        foreach ((IBlockDevice d, MdSuperblock sb) in stale)
        {
            string refusal;
            if ((reference.FeatureMap & MdFeatures.BitmapOffset) == 0)
            {
                refusal = "the array has no write-intent bitmap to tell what it missed";
            }
            else if (array.ReAddAtAssembly(d, sb, out refusal) is { } member)
            {
                warnings.Add($"{d.Name}: out of date (events {sb.Events}, array at {reference.Events}) but covered by the bitmap: re-added as role {member.Slot}; " +
                             $"only the {array.Bitmap!.DirtyCount} dirty bitmap chunk(s) of {array.Bitmap.Header.ChunkBytes / 1024} KiB are resynced, by the rebuild");
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
    /// Reads the bitmap from every member that holds a slot and unions the bits. No readable copy, or one
    /// older than the superblocks, means md's "bitmap out of date -- forcing full recovery": all bits set.
    /// </summary>
    private static WriteIntentBitmap LoadBitmap(RaidArray array, List<RaidMember> members, MdSuperblock reference, List<string> warnings)
    {
        long sync = RaidArray.SyncDomainSectors(array.Geometry);
        long offset = MdSuperblock.ByteOffsetV12 + ((long)reference.BitmapOffset * 512);
        WriteIntentBitmap? merged = null;
        ulong newest = 0;
        foreach (RaidMember m in members.Where(m => m.Slot >= 0))
        {
            string problem;
            WriteIntentBitmap? copy;
            try
            {
                byte[] head = new byte[512];
                m.Device.Read(offset, head);
                BitmapSuperblock? header = BitmapSuperblock.TryParse(head, reference.SetUuid, out problem);
                int bytes = header is null ? 512 : (int)Math.Min(1L << 20, BitmapSuperblock.StructBytes + ((header.Bits + 7) / 8));
                byte[] area = new byte[bytes];
                m.Device.Read(offset, area);
                copy = WriteIntentBitmap.Load(area, reference.SetUuid, sync, out problem);
            }
            catch (IOException e)
            {
                copy = null;
                problem = e.Message;
            }

            if (copy is null)
            {
                warnings.Add($"{m.Device.Name}: bitmap unusable: {problem}");
                continue;
            }

            newest = Math.Max(newest, copy.Header.Events);
            if (merged is null)
            {
                merged = copy;
            }
            else
            {
                merged.Merge(copy);
            }
        }

        if (merged is null)
        {
            long space = MdCreateDefaults.BitmapSpaceSectors(members.Max(m => m.Device.LengthBytes) / 512);
            merged = WriteIntentBitmap.Create(reference.SetUuid, sync, BitmapSuperblock.ChooseChunkBytes(sync, space, null), space, reference.Events);
            merged.SetAll();
            warnings.Add("no readable bitmap: every chunk counts as dirty");
        }
        else if (newest < reference.Events && !reference.IsClean)
        {
            warnings.Add($"bitmap events {newest} are older than the array's {reference.Events}: forcing a full resync");
            merged.SetAll();
        }

        return merged;
    }
}
