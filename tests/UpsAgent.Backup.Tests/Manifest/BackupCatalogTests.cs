using System.Security.Cryptography;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Tests.Manifest;

[TestClass]
public sealed class BackupCatalogTests
{
    private static (CatalogSession Session, byte[] Manifest) Session(string volume, long created)
    {
        byte[] manifest = new BackupManifest(volume, created, []).ToBytes();
        return (new CatalogSession(volume, created, "/media/disc a.iso", 0, 300, 40, new string('a', 64), Convert.ToHexStringLower(SHA256.HashData(manifest)), VerifyState.Unverified, 0), manifest);
    }

    [TestMethod]
    public void Sessions_are_kept_found_by_volume_and_time_and_marked_verified()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(dir.Path);
        Assert.IsEmpty(catalog.Sessions());
        (CatalogSession a, byte[] ma) = Session("UPSAGENT_A", 100);
        (CatalogSession b, byte[] mb) = Session("UPSAGENT_B", 200);
        catalog.Add(a, ma);
        catalog.Add(b, mb);
        Assert.AreEqual(a, new BackupCatalog(dir.Path).Find("UPSAGENT_A", 100));
        Assert.IsNull(catalog.Find("UPSAGENT_A", 101));
        CatalogSession good = catalog.MarkVerified(b, good: true, time: 250);
        Assert.AreEqual(VerifyState.Good, catalog.Find("UPSAGENT_B", 200)!.State);
        Assert.AreEqual(250, catalog.Find("UPSAGENT_B", 200)!.VerifiedTime);
        Assert.AreEqual(good, catalog.Sessions()[1]);
        Assert.AreEqual("UPSAGENT_B", catalog.LoadManifest(good).VolumeId);
        catalog.Add(a with { Blocks = 301 }, ma);
        Assert.HasCount(2, catalog.Sessions());
        Assert.AreEqual(301u, catalog.Find("UPSAGENT_A", 100)!.Blocks);
    }

    [TestMethod]
    public void A_kept_manifest_that_changed_is_refused()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(dir.Path);
        (CatalogSession a, byte[] ma) = Session("UPSAGENT_A", 100);
        catalog.Add(a, ma);
        File.AppendAllText(catalog.ManifestPath(a), "x");
        var e = Assert.ThrowsExactly<ManifestFormatException>(() => catalog.LoadManifest(a));
        StringAssert.Contains(e.Message, "the catalog recorded");
    }

    [TestMethod]
    public void A_damaged_sessions_file_is_refused_with_its_line()
    {
        using var dir = new TempDirectory();
        var catalog = new BackupCatalog(dir.Path);
        (CatalogSession a, byte[] ma) = Session("UPSAGENT_A", 100);
        catalog.Add(a, ma);
        string path = Path.Combine(catalog.Directory, "sessions");
        File.WriteAllText(path, File.ReadAllText(path).Replace(" unverified ", " maybe ", StringComparison.Ordinal));
        var e = Assert.ThrowsExactly<ManifestFormatException>(() => catalog.Sessions());
        StringAssert.Contains(e.Message, "line 3");
        File.WriteAllText(path, "something else\n");
        Assert.ThrowsExactly<ManifestFormatException>(() => catalog.Sessions());
    }
}
