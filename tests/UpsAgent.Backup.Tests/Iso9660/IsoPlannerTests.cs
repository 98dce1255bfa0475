using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Iso9660.RockRidge;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Iso9660;

[TestClass]
public sealed class IsoPlannerTests
{
    [TestMethod]
    public void The_same_tree_and_time_give_the_same_image_bytes()
    {
        byte[] a = Image(Sample());
        byte[] b = Image(Sample());
        Assert.IsTrue(a.AsSpan().SequenceEqual(b), "two builds differ");
        Assert.IsFalse(a.AsSpan().SequenceEqual(Image(Sample(), Time + 1)), "the recording time must show in the image");
    }

    [TestMethod]
    public void Descriptors_path_tables_directories_and_continuations_come_before_all_file_data()
    {
        IsoPlan plan = IsoPlanner.Plan(Sample(), new IsoOptions("TEST", Time));
        uint metadataEnd = plan.JolietDirectories.Max(d => d.Lba + (uint)d.Blocks);
        Assert.AreEqual(metadataEnd, plan.DataLba);
        Assert.IsNotEmpty(plan.ContinuationAreas, "the 240-character name and the ER need continuation areas");
        Assert.IsTrue(plan.ContinuationAreas.All(c => c.Lba < plan.DataLba && c.OffsetBytes + c.LengthBytes <= 2048));
        Assert.IsTrue(plan.Files.All(f => f.Lba >= plan.DataLba));
        Assert.AreEqual(plan.Files.Last().Lba + (uint)plan.Files.Last().Blocks, plan.VolumeBlocks);
        Assert.IsTrue(plan.PrimaryDirectories.Concat(plan.JolietDirectories).SelectMany(d => d.Records).All(r => r.LengthBytes % 2 == 0 && r.LengthBytes <= 255));
    }

    [TestMethod]
    public void Path_table_order_is_level_then_parent_then_identifier()
    {
        IsoPlan plan = IsoPlanner.Plan(Sample(), new IsoOptions("TEST", Time));
        List<PlannedDirectory> dirs = plan.PrimaryDirectories;
        int Level(PlannedDirectory d) => d.Parent is null ? 1 : 1 + Level(d.Parent);
        for (int i = 2; i < dirs.Count; i++)
        {
            (int, int) previous = (Level(dirs[i - 1]), dirs[i - 1].Parent!.Number);
            (int, int) current = (Level(dirs[i]), dirs[i].Parent!.Number);
            Assert.IsLessThanOrEqualTo(0, previous.CompareTo(current), $"path table order at {i}");
        }

        Assert.AreEqual(1, dirs[0].Number);
        Assert.IsTrue(dirs.Skip(1).All(d => d.Parent!.Number < d.Number));
    }

    [TestMethod]
    public void The_root_dot_record_starts_with_sp_and_reaches_er_through_ce()
    {
        IsoPlan plan = IsoPlanner.Plan(Sample(), new IsoOptions("TEST", Time));
        SystemUseArea su = plan.PrimaryDirectories[0].Records[0].SystemUse!;
        Assert.AreEqual("SP", System.Text.Encoding.ASCII.GetString(su.Inline[0], 0, 2));
        Assert.AreEqual("ER", System.Text.Encoding.ASCII.GetString(su.Continuation!.Entries[^1], 0, 2));
    }

    [TestMethod]
    public void Files_of_4_gib_and_more_are_planned_as_sections_of_4_gib_minus_2_kib()
    {
        IsoPlan plan = IsoPlanner.Plan(Dir("", File("big.bin", 0x1_2000_0000L)), new IsoOptions("TEST", Time));
        List<PlannedRecord> sections = plan.PrimaryDirectories[0].Records.Skip(2).ToList();
        Assert.HasCount(2, sections);
        Assert.AreEqual(0x80, sections[0].FileFlags);
        Assert.AreEqual(0, sections[1].FileFlags);
        Assert.AreEqual(0xFFFFF800u, sections[0].SectionBytes);
        Assert.AreEqual((uint)(0x1_2000_0000L - 0xFFFFF800L), sections[1].SectionBytes);
        Assert.AreEqual(plan.ExtentOf(sections[0]) + 0x1FFFFFu, plan.ExtentOf(sections[1]));
        Assert.HasCount(2, plan.JolietDirectories[0].Records.Skip(2).ToList());
    }
}
