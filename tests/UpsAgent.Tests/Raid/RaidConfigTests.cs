using UpsAgent.Configuration;

namespace UpsAgent.Tests.Raid;

[TestClass]
public sealed class RaidConfigTests
{
    private static AgentConfig Load(string arrays) => AgentConfigLoader.Load($"[ups ups]\n{arrays}", "raid.conf");

    [TestMethod]
    public void An_array_section_lists_members_in_role_order_with_optional_checks()
    {
        AgentConfig config = Load("[array data]\nmembers = /a.img missing /c.img\nlevel = raid5\nuuid = 1DE9EA66:70d3da1f:c735df5e:f7697fb9\nspeed-min = 100\nspeed-max = 5000\n");
        ArrayConfig a = config.Arrays.Single();
        Assert.AreEqual("data", a.Name);
        CollectionAssert.AreEqual(new[] { "/a.img", "missing", "/c.img" }, a.Members.ToArray());
        Assert.AreEqual(5, a.Level);
        Assert.AreEqual("1de9ea66:70d3da1f:c735df5e:f7697fb9", a.Uuid);
        Assert.AreEqual(100L, a.SpeedMinKib);
        Assert.AreEqual(5000L, a.SpeedMaxKib);
    }

    [TestMethod]
    [DataRow("[array]\nmembers = /a\n", "[array] needs a name")]
    [DataRow("[array x]\nlevel = 1\n", "has no 'members = PATH...' line")]
    [DataRow("[array x]\nmembers = missing missing\n", "give the member paths")]
    [DataRow("[array x]\nmembers = /a /a\n", "member /a is listed twice")]
    [DataRow("[array x]\nmembers = /a\nlevel = 3\n", "'3' is not a RAID level")]
    [DataRow("[array x]\nmembers = /a\nuuid = 1234\n", "not an array UUID")]
    [DataRow("[array x]\nmembers = /a\nspeed-min = 10\nspeed-max = 5\n", "speed-min 10 is above speed-max 5")]
    [DataRow("[array x]\nmembers = /a\nchunk = 5\n", "unknown key in [array]")]
    [DataRow("[array x]\nmembers = /a\n[array X]\nmembers = /b\n", "array 'X' is configured twice")]
    public void Bad_array_sections_are_configuration_errors(string text, string expected)
    {
        ConfigException e = Assert.ThrowsExactly<ConfigException>(() => Load(text));
        StringAssert.Contains(e.Message, expected);
    }
}
