namespace UpsAgent.Raid.Geometry;

/// <summary>
/// One stripe's placement for RAID 4/5/6: the parity disks, the disk of each logical data chunk, and
/// the order in which data disks enter the Q syndrome (md: raid6_d0 then device order, skipping P and Q).
/// </summary>
public sealed class ParityRow
{
    internal ParityRow(int pDisk, int qDisk, int[] dataDisks, int[] slotDisks)
    {
        PDisk = pDisk;
        QDisk = qDisk;
        _dataDisks = dataDisks;
        _slotDisks = slotDisks;
        _slotOfData = new int[dataDisks.Length];
        for (int slot = 0; slot < slotDisks.Length; slot++)
        {
            _slotOfData[Array.IndexOf(dataDisks, slotDisks[slot])] = slot;
        }
    }

    private readonly int[] _dataDisks;
    private readonly int[] _slotDisks;
    private readonly int[] _slotOfData;

    public int PDisk { get; }

    /// <summary>-1 for RAID 4/5.</summary>
    public int QDisk { get; }

    /// <summary>Disk holding logical data chunk <paramref name="index"/> of this stripe.</summary>
    public int DataDisk(int index) => _dataDisks[index];

    /// <summary>Disk in syndrome slot <paramref name="slot"/> (the coefficient is g^slot).</summary>
    public int SlotDisk(int slot) => _slotDisks[slot];

    /// <summary>Syndrome slot of logical data chunk <paramref name="index"/>.</summary>
    public int SlotOfData(int index) => _slotOfData[index];

    public int DataCount => _dataDisks.Length;

    public ReadOnlySpan<int> SlotDisks => _slotDisks;

    public ReadOnlySpan<int> DataDisks => _dataDisks;
}
