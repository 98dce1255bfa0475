using System.Text;
using UpsAgent.Backup.Iso9660.RockRidge;

namespace UpsAgent.Backup.Tests.Iso9660;

[TestClass]
public sealed class SystemUseEntriesTests
{
    [TestMethod]
    public void Er_names_rrip_1991a_in_237_bytes_like_mkisofs()
    {
        byte[] er = SystemUseEntries.Er();
        Assert.HasCount(237, er);
        Assert.AreEqual("45-52-ED-01-0A-54-87-01", BitConverter.ToString(er, 0, 8));
        Assert.AreEqual("RRIP_1991A", Encoding.ASCII.GetString(er, 8, 10));
    }

    [TestMethod]
    public void Sl_of_an_absolute_target_starts_with_a_root_component()
    {
        // Bytes of abs_link -> /etc/hostname in a genisoimage image (specs/iso.md §2.3).
        byte[] sl = SystemUseEntries.Sl("/etc/hostname").Single();
        Assert.AreEqual("53-4C-16-01-00-08-00-00-03-65-74-63-00-08-68-6F-73-74-6E-61-6D-65", BitConverter.ToString(sl));
    }

    [TestMethod]
    public void Px_is_the_36_byte_form_with_both_endian_fields()
    {
        byte[] px = SystemUseEntries.Px(0x41ED, 7, 0, 0);
        Assert.AreEqual("50-58-24-01-ED-41-00-00-00-00-41-ED-07-00-00-00-00-00-00-07", BitConverter.ToString(px, 0, 20));
    }

    [TestMethod]
    public void Pn_carries_the_linux_dev_t_in_high_and_low_halves()
    {
        // /dev/null is 1,3: dev_t 0x103. Readers (Linux, libarchive) take high:low as one dev_t.
        byte[] pn = SystemUseEntries.Pn(1, 3);
        Assert.AreEqual("50-4E-14-01-00-00-00-00-00-00-00-00-03-01-00-00-00-00-01-03", BitConverter.ToString(pn));
        ulong dev = UpsAgent.Backup.Posix.DeviceNumber.Make(259, 70000);
        Assert.AreEqual((259u, 70000u), (UpsAgent.Backup.Posix.DeviceNumber.Major(dev), UpsAgent.Backup.Posix.DeviceNumber.Minor(dev)));
    }

    [TestMethod]
    public void Long_names_and_targets_split_into_entries_of_at_most_255_bytes()
    {
        List<byte[]> nm = SystemUseEntries.Nm(new string('あ', 200));
        Assert.IsTrue(nm.All(e => e.Length <= 255 && e[2] == e.Length));
        Assert.IsTrue(nm.Take(nm.Count - 1).All(e => e[4] == 1) && nm[^1][4] == 0);
        List<byte[]> sl = SystemUseEntries.Sl(string.Join('/', Enumerable.Repeat(new string('p', 300), 5)));
        Assert.IsGreaterThan(1, sl.Count);
        Assert.IsTrue(sl.All(e => e.Length <= 255));
    }

    [TestMethod]
    public void Entries_that_do_not_fit_inline_go_to_chained_areas_within_one_block()
    {
        var entries = Enumerable.Range(0, 30).Select(_ => new byte[200]).ToList();
        SystemUseArea area = SystemUseArea.Layout(entries, 100);
        Assert.IsNotNull(area.Continuation);
        Assert.IsLessThanOrEqualTo(100, area.InlineBytes);
        int total = 0;
        for (ContinuationArea? c = area.Continuation; c is not null; c = c.Next)
        {
            Assert.IsLessThanOrEqualTo(2048, c.LengthBytes);
            total += c.Entries.Count;
        }

        Assert.AreEqual(30, total + area.Inline.Count);
    }
}
