using System.Text;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Tests.Manifest;

[TestClass]
public sealed class BackupManifestTests
{
    private const string Sha = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    private static BackupManifest Sample() => new("UPSAGENT_A", 1709213862,
    [
        new ManifestEntry("README.txt", ManifestEntryType.File, 0x1A4, 0, 0, 6, 1709213862, Sha, null),
        new ManifestEntry("a dir/with space\tand tab", ManifestEntryType.Directory, 0x1ED, 1234, 100, 0, 1709213862, null, null),
        new ManifestEntry("back\\slash\nnewline", ManifestEntryType.File, 0x180, 1234, 1234, 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", null),
        new ManifestEntry("-", ManifestEntryType.Symlink, 0x1FF, 0, 0, 0, 1672628645, null, "-"),
        new ManifestEntry("abs_link", ManifestEntryType.Symlink, 0x1FF, 0, 0, 0, 1672628645, null, "/etc/host name"),
        new ManifestEntry("empty_target", ManifestEntryType.Symlink, 0x1FF, 0, 0, 0, 1672628645, null, ""),
        new ManifestEntry("バックアップ.sql", ManifestEntryType.File, 0x1A4, 0, 0, 6, -5, Sha, null),
        new ManifestEntry("dev_null", ManifestEntryType.CharacterDevice, 0x1B6, 0, 0, 0, 1709213862, null, "1,3"),
    ]);

    [TestMethod]
    public void Round_trip_keeps_every_field_including_escaped_names_and_targets()
    {
        BackupManifest m = Sample();
        BackupManifest back = BackupManifest.Parse(m.ToBytes(), "test");
        Assert.AreEqual("UPSAGENT_A", back.VolumeId);
        Assert.AreEqual(1709213862, back.CreatedTime);
        CollectionAssert.AreEqual(m.Entries.ToList(), back.Entries.ToList());
        CollectionAssert.AreEqual(m.ToBytes(), back.ToBytes());
    }

    [TestMethod]
    public void Text_is_sorted_by_path_one_line_each_with_a_counted_and_hashed_end_line()
    {
        string text = Encoding.UTF8.GetString(Sample().ToBytes());
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.AreEqual("upsagent-manifest 1", lines[0]);
        Assert.AreEqual("volume UPSAGENT_A", lines[1]);
        Assert.AreEqual("created 1709213862", lines[2]);
        Assert.AreEqual($"f 0644 0 0 6 1709213862 {Sha} - README.txt", lines.Single(l => l.EndsWith(" README.txt", StringComparison.Ordinal)));
        Assert.AreEqual(@"l 0777 0 0 0 1672628645 - \x2d \x2d", lines.Single(l => l.EndsWith(@" \x2d", StringComparison.Ordinal)));
        Assert.AreEqual(@"d 0755 1234 100 0 1709213862 - - a\x20dir/with\x20space\x09and\x20tab", lines.Single(l => l.StartsWith("d ", StringComparison.Ordinal)));
        Assert.IsTrue(lines.Any(l => l.EndsWith(@" back\x5cslash\x0anewline", StringComparison.Ordinal)));
        StringAssert.StartsWith(lines[^1], "end 8 ");
        var paths = lines.Skip(4).SkipLast(1).Select(l => ManifestText.Unescape(l.Split(' ')[8], "test")).ToList();
        CollectionAssert.AreEqual(paths.OrderBy(p => p, StringComparer.Ordinal).ToList(), paths);
    }

    [TestMethod]
    public void Find_looks_a_path_up()
    {
        BackupManifest m = Sample();
        Assert.AreEqual(6, m.Find("バックアップ.sql")!.SizeBytes);
        Assert.IsNull(m.Find("nope"));
    }

    [TestMethod]
    public void A_manifest_cut_short_is_refused_as_such()
    {
        byte[] bytes = Sample().ToBytes();
        var e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(bytes.AsSpan(0, bytes.Length - 30), "disc"));
        StringAssert.Contains(e.Message, "cut short");
        e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(bytes.AsSpan(0, 200), "disc"));
        StringAssert.Contains(e.Message, "disc");
    }

    [TestMethod]
    public void A_changed_byte_is_refused_as_damage_not_read_as_a_different_tree()
    {
        byte[] bytes = Sample().ToBytes();
        int at = Encoding.UTF8.GetString(bytes).IndexOf("README", StringComparison.Ordinal);
        bytes[at] ^= 0x01;
        var e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(bytes, "disc"));
        StringAssert.Contains(e.Message, "damaged");
    }

    [TestMethod]
    public void Other_bad_input_gets_a_message_naming_what_is_wrong()
    {
        Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse([0xFF, 0xFE, 0x0A], "x"));
        Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(Sealed("not a manifest\nvolume A\ncreated 1\n"), "x"));
        var e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(Sealed("upsagent-manifest 1\nvolume A\ncreated 1\nq 0644 0 0 0 0 - - x\n", count: 1), "x"));
        StringAssert.Contains(e.Message, "line 4");
        e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(Sealed("upsagent-manifest 1\nvolume A\ncreated 1\nf 0644 0 0 0 0 XYZ - x\n", count: 1), "x"));
        StringAssert.Contains(e.Message, "SHA-256");
        e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(Sealed("upsagent-manifest 1\nvolume A\ncreated 1\nf 0644 0 0 0 0 - - x\n", count: 2), "x"));
        StringAssert.Contains(e.Message, "counts 2");
        e = Assert.ThrowsExactly<ManifestFormatException>(() => BackupManifest.Parse(Sealed("upsagent-manifest 1\nvolume A\ncreated 1\nf 0644 0 0 0 0 - \\q x\n", count: 1), "x"));
        StringAssert.Contains(e.Message, "escape");
    }

    private static byte[] Sealed(string body, int count = 0)
    {
        byte[] b = Encoding.UTF8.GetBytes(body);
        return [.. b, .. Encoding.ASCII.GetBytes($"end {count} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b))}\n")];
    }
}
