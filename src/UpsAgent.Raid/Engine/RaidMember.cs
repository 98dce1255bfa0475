using UpsAgent.Raid.Metadata;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Raid.Engine;

/// <summary>One device in an array: its port, its own superblock, and what the engine thinks of it.</summary>
public sealed class RaidMember
{
    internal RaidMember(IBlockDevice device, MdSuperblock superblock, MemberState state, int slot)
    {
        Device = device;
        Superblock = superblock;
        State = state;
        Slot = slot;
    }

    public IBlockDevice Device { get; }

    public MdSuperblock Superblock { get; }

    public MemberState State { get; internal set; }

    /// <summary>Role in the array, or -1 for a spare.</summary>
    public int Slot { get; internal set; }

    /// <summary>Sectors from the data offset that hold valid data while <see cref="MemberState.Recovering"/>.</summary>
    public long RecoveredSectors { get; internal set; }

    public string? FailReason { get; internal set; }

    /// <summary>
    /// A re-added member (mdadm --re-add): it holds the array's data as of when it left, so its rebuild
    /// copies only the chunks the write-intent bitmap marks as written since.
    /// </summary>
    public bool BitmapRecovery { get; internal set; }

    internal long DataOffsetBytes => (long)Superblock.DataOffset * 512;

    public override string ToString() => $"{Device.Name} ({State}{(Slot >= 0 ? $", role {Slot}" : string.Empty)})";
}
