using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Iso9660.Joliet;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Iso9660;

[TestClass]
public sealed class IsoNamesTests
{
    [TestMethod]
    public void Primary_names_are_upper_case_d_characters_with_the_last_dot_as_extension()
    {
        string[] ids = IsoNames.Assign([File("MiXeD.CaSe.multi.dot.name.txt", 0), File("abs_link", 0), File("weird;name=1,2.txt", 0), File("バックアップ.sql", 0)]);
        CollectionAssert.AreEqual(new[] { "MIXED_CASE_MULTI_DOT_NAME.TXT;1", "ABS_LINK.;1", "WEIRD_NAME_1_2.TXT;1", "______.SQL;1" }, ids);
    }

    [TestMethod]
    public void Primary_names_fit_level_2_and_stay_unique_with_a_counter()
    {
        string[] ids = IsoNames.Assign([File(new string('a', 40) + ".txt", 0), File(new string('a', 41) + ".txt", 0), Dir(new string('d', 40)), Dir("日本語")]);
        // §7.5.1 level 2: name and extension together at most 30 characters.
        Assert.AreEqual(new string('A', 27) + ".TXT;1", ids[0]);
        Assert.AreEqual(new string('A', 26) + "0.TXT;1", ids[1]);
        Assert.AreEqual(new string('D', 31), ids[2]);
        Assert.AreEqual("___", ids[3]);
        Assert.IsTrue(ids.All(id => id.Split(';')[0].Length <= 31), string.Join(",", ids));
    }

    [TestMethod]
    public void Primary_order_compares_name_then_extension_padded_with_spaces()
    {
        // ECMA-119 §9.3: "A.Z" sorts before "A!.B" because the name "A " < "A!".
        Assert.IsLessThan(0, IsoNames.Compare("A.Z;1", "A!.B;1"));
        Assert.IsGreaterThan(0, IsoNames.Compare("_HIDDEN_.;1", "WEIRD_NA.TXT;1"));
        Assert.AreEqual(0, IsoNames.Compare("ABC.;1", "ABC.;1"));
    }

    [TestMethod]
    public void Joliet_names_keep_the_extension_when_cut_to_64_characters()
    {
        string[] ids = JolietNames.Assign([File("this_is_a_very_long_file_name_that_exceeds_the_iso9660_level2_limit_and_joliet_64_chars_backup.tar.gz", 0)]);
        Assert.AreEqual(64, ids[0].Length);
        Assert.EndsWith(".gz", ids[0]);
        StringAssert.StartsWith(ids[0], "this_is_a_very_long_file_name");
    }

    [TestMethod]
    public void Joliet_names_replace_forbidden_characters_and_stay_unique()
    {
        string[] ids = JolietNames.Assign([File("a;b*c?.txt", 0), File(new string('x', 70) + ".log", 0), File(new string('x', 71) + ".log", 0)]);
        Assert.AreEqual("a_b_c_.txt", ids[0]);
        Assert.AreNotEqual(ids[1], ids[2]);
        Assert.AreEqual(64, ids[2].Length);
        Assert.EndsWith("0.log", ids[2]);
    }
}
