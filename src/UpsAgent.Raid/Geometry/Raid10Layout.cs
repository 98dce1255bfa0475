namespace UpsAgent.Raid.Geometry;

/// <summary>md's RAID10 layout word: near copies in bits 0-7, far copies in bits 8-15, bit 16 = offset (spec §2).</summary>
public readonly record struct Raid10Layout(int Near, int Far, bool Offset)
{
    public static Raid10Layout Near2 => new(2, 1, false);

    public int Copies => Near * Far;

    public int Encode() => Near | (Far << 8) | (Offset ? 0x10000 : 0);

    public static Raid10Layout Decode(int layout) => new(layout & 0xff, (layout >> 8) & 0xff, (layout & 0x10000) != 0);

    /// <summary>mdadm's names: n2, f2, o2 (any copy count).</summary>
    public override string ToString() => Far > 1 ? $"{(Offset ? 'o' : 'f')}{Far}" : $"n{Near}";
}
