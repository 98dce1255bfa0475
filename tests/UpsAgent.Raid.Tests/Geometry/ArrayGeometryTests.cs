using UpsAgent.Raid.Geometry;

namespace UpsAgent.Raid.Tests.Geometry;

[TestClass]
public sealed class ArrayGeometryTests
{
    private static string Raid10Rows(int disks, int rows)
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid10, disks, 8, Raid10Layout.Near2.Encode(), 8 * 16);
        string[,] cells = new string[rows, disks];
        Span<MemberAddress> copies = stackalloc MemberAddress[2];
        for (int c = 0; c < rows * disks / 2; c++)
        {
            int n = geometry.MapCopies(c * 8L, copies);
            for (int i = 0; i < n; i++)
            {
                cells[copies[i].Sector / 8, copies[i].Disk] = $"C{c}";
            }
        }

        return string.Join('|', Enumerable.Range(0, rows).Select(r => string.Join(' ', Enumerable.Range(0, disks).Select(d => cells[r, d]))));
    }

    [TestMethod]
    public void Raid10_near2_on_four_disks_mirrors_pairs()
    {
        Assert.AreEqual("C0 C0 C1 C1|C2 C2 C3 C3", Raid10Rows(4, 2));
    }

    [TestMethod]
    public void Raid10_near2_on_three_disks_wraps_copies_across_rows()
    {
        Assert.AreEqual("C0 C0 C1|C1 C2 C2", Raid10Rows(3, 2));
    }

    [TestMethod]
    public void Raid10_far2_puts_the_second_copy_half_way_down_shifted_one_disk()
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid10, 4, 8, new Raid10Layout(1, 2, false).Encode(), 8 * 16);
        Span<MemberAddress> copies = stackalloc MemberAddress[2];
        geometry.MapCopies(0, copies);
        Assert.AreEqual(new MemberAddress(0, 0), copies[0]);
        Assert.AreEqual(new MemberAddress(1, 64), copies[1]);
        Assert.AreEqual(geometry.MemberSectors * 4 / 2, geometry.ArraySectors);
    }

    [TestMethod]
    public void Raid10_offset2_puts_the_second_copy_in_the_next_row()
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid10, 4, 8, new Raid10Layout(1, 2, true).Encode(), 8 * 16);
        Span<MemberAddress> copies = stackalloc MemberAddress[2];
        geometry.MapCopies(8 * 5, copies); // chunk 5: row 1 of chunks, disk 1
        Assert.AreEqual(new MemberAddress(1, 16), copies[0]);
        Assert.AreEqual(new MemberAddress(2, 24), copies[1]);
    }

    [TestMethod]
    public void Raid0_stripes_chunks_round_robin()
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid0, 3, 8, 0, 80);
        Assert.AreEqual(new MemberAddress(0, 0), geometry.MapData(0));
        Assert.AreEqual(new MemberAddress(1, 3), geometry.MapData(11));
        Assert.AreEqual(new MemberAddress(0, 8), geometry.MapData(24));
        Assert.AreEqual(240, geometry.ArraySectors);
    }

    [TestMethod]
    public void Member_size_is_rounded_down_to_whole_chunks()
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid5, 3, 1024, 2, 126_999);
        Assert.AreEqual(126_976, geometry.MemberSectors);
        Assert.AreEqual(126_976 * 2, geometry.ArraySectors);
    }

    [TestMethod]
    public void Raid5_maps_logical_chunks_through_the_left_symmetric_rotation()
    {
        var geometry = new ArrayGeometry(RaidLevel.Raid5, 4, 8, (int)ParityAlgorithm.LeftSymmetric, 800);
        // Stripe 1 is "D4 D5 P D3": chunk 3 sits on disk 3, member chunk 1.
        Assert.AreEqual(new MemberAddress(3, 8 + 5), geometry.MapData((3 * 8) + 5));
        Assert.AreEqual(new MemberAddress(0, 8), geometry.MapData(4 * 8));
    }

    [TestMethod]
    public void Invalid_geometry_is_refused_with_the_value()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new ArrayGeometry(RaidLevel.Raid6, 3, 8, 2, 100));
        StringAssert.Contains(e.Message, "got 3");
        e = Assert.ThrowsExactly<ArgumentException>(() => new ArrayGeometry(RaidLevel.Raid5, 3, 12, 2, 100));
        StringAssert.Contains(e.Message, "power of two");
    }
}
