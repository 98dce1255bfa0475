using UpsAgent.Raid.Geometry;

namespace UpsAgent.Raid.Tests.Geometry;

// Expected rows are the worked tables of the spec (raid.md §2), which the kernel verified in a VM.
[TestClass]
public sealed class ParityPlacementTests
{
    private static string Render(RaidLevel level, ParityAlgorithm algorithm, int disks, long stripe)
    {
        ParityRow row = ParityPlacement.Compute(level, algorithm, disks, stripe);
        string[] cells = new string[disks];
        cells[row.PDisk] = "P";
        if (row.QDisk >= 0)
        {
            cells[row.QDisk] = "Q";
        }

        for (int d = 0; d < row.DataCount; d++)
        {
            cells[row.DataDisk(d)] = $"D{(stripe * row.DataCount) + d}";
        }

        return string.Join(' ', cells);
    }

    [TestMethod]
    [DataRow(ParityAlgorithm.LeftAsymmetric, "D0 D1 D2 P|D3 D4 P D5|D6 P D7 D8|P D9 D10 D11|D12 D13 D14 P")]
    [DataRow(ParityAlgorithm.RightAsymmetric, "P D0 D1 D2|D3 P D4 D5|D6 D7 P D8|D9 D10 D11 P|P D12 D13 D14")]
    [DataRow(ParityAlgorithm.LeftSymmetric, "D0 D1 D2 P|D4 D5 P D3|D8 P D6 D7|P D9 D10 D11|D12 D13 D14 P")]
    [DataRow(ParityAlgorithm.RightSymmetric, "P D0 D1 D2|D5 P D3 D4|D7 D8 P D6|D9 D10 D11 P|P D12 D13 D14")]
    [DataRow(ParityAlgorithm.ParityFirst, "P D0 D1 D2|P D3 D4 D5|P D6 D7 D8|P D9 D10 D11")]
    [DataRow(ParityAlgorithm.ParityLast, "D0 D1 D2 P|D3 D4 D5 P|D6 D7 D8 P|D9 D10 D11 P")]
    public void Raid5_four_disk_layouts_match_the_spec_table(ParityAlgorithm algorithm, string expected)
    {
        string[] rows = expected.Split('|');
        for (int stripe = 0; stripe < rows.Length; stripe++)
        {
            Assert.AreEqual(rows[stripe], Render(RaidLevel.Raid5, algorithm, 4, stripe), $"stripe {stripe}");
        }
    }

    [TestMethod]
    public void Raid4_keeps_parity_on_the_last_disk_whatever_the_layout_says()
    {
        for (int stripe = 0; stripe < 5; stripe++)
        {
            Assert.AreEqual(3, ParityPlacement.Compute(RaidLevel.Raid4, ParityAlgorithm.LeftAsymmetric, 4, stripe).PDisk);
        }
    }

    [TestMethod]
    public void Raid6_five_disk_left_symmetric_matches_the_spec_table()
    {
        string[] rows = ["Q D0 D1 D2 P", "D3 D4 D5 P Q", "D7 D8 P Q D6", "D11 P Q D9 D10", "P Q D12 D13 D14"];
        for (int stripe = 0; stripe < rows.Length; stripe++)
        {
            Assert.AreEqual(rows[stripe], Render(RaidLevel.Raid6, ParityAlgorithm.LeftSymmetric, 5, stripe), $"stripe {stripe}");
        }
    }

    [TestMethod]
    public void Raid6_symmetric_layouts_feed_q_in_logical_order()
    {
        for (int stripe = 0; stripe < 10; stripe++)
        {
            ParityRow row = ParityPlacement.Compute(RaidLevel.Raid6, ParityAlgorithm.LeftSymmetric, 5, stripe);
            for (int d = 0; d < row.DataCount; d++)
            {
                Assert.AreEqual(d, row.SlotOfData(d));
            }
        }
    }

    [TestMethod]
    public void Raid6_left_asymmetric_stripe_2_puts_d8_in_syndrome_slot_0()
    {
        // Spec: 5-disk left-asymmetric stripe 2 is "D6 D7 P Q D8" with slots D8=0, D6=1, D7=2.
        Assert.AreEqual("D6 D7 P Q D8", Render(RaidLevel.Raid6, ParityAlgorithm.LeftAsymmetric, 5, 2));
        ParityRow row = ParityPlacement.Compute(RaidLevel.Raid6, ParityAlgorithm.LeftAsymmetric, 5, 2);
        CollectionAssert.AreEqual(new[] { 4, 0, 1 }, row.SlotDisks.ToArray());
        Assert.AreEqual(1, row.SlotOfData(0));
        Assert.AreEqual(0, row.SlotOfData(2));
    }

    [TestMethod]
    public void Raid6_left_asymmetric_wraps_q_to_disk_0_when_p_is_last()
    {
        Assert.AreEqual("Q D0 D1 D2 P", Render(RaidLevel.Raid6, ParityAlgorithm.LeftAsymmetric, 5, 0));
    }

    [TestMethod]
    public void Raid6_dash_6_layouts_are_the_raid5_layout_plus_q_on_the_last_disk()
    {
        for (int stripe = 0; stripe < 8; stripe++)
        {
            ParityRow r6 = ParityPlacement.Compute(RaidLevel.Raid6, ParityAlgorithm.LeftSymmetric6, 5, stripe);
            ParityRow r5 = ParityPlacement.Compute(RaidLevel.Raid5, ParityAlgorithm.LeftSymmetric, 4, stripe);
            Assert.AreEqual(4, r6.QDisk);
            Assert.AreEqual(r5.PDisk, r6.PDisk);
            CollectionAssert.AreEqual(r5.DataDisks.ToArray(), r6.DataDisks.ToArray());
        }
    }

    [TestMethod]
    public void Every_supported_layout_places_each_disk_exactly_once_per_stripe()
    {
        foreach (RaidLevel level in new[] { RaidLevel.Raid5, RaidLevel.Raid6 })
        {
            foreach (ParityAlgorithm a in Enum.GetValues<ParityAlgorithm>().Where(a => ParityPlacement.Supports(level, a)))
            {
                for (int disks = level == RaidLevel.Raid6 ? 4 : 3; disks <= 7; disks++)
                {
                    for (int stripe = 0; stripe < 2 * disks; stripe++)
                    {
                        ParityRow row = ParityPlacement.Compute(level, a, disks, stripe);
                        var used = new HashSet<int> { row.PDisk };
                        if (row.QDisk >= 0)
                        {
                            Assert.IsTrue(used.Add(row.QDisk));
                        }

                        foreach (int d in row.DataDisks)
                        {
                            Assert.IsTrue(used.Add(d), $"{level} {a} n={disks} stripe {stripe}");
                        }

                        Assert.AreEqual(disks, used.Count);
                        CollectionAssert.AreEquivalent(row.DataDisks.ToArray(), row.SlotDisks.ToArray());
                    }
                }
            }
        }
    }
}
