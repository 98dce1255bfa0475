using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Sessions;
using UpsAgent.Backup.Verify;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Sessions;

// "iso append --manifest": every session carries the manifest of its own tree; reused files keep their hashes.
[TestClass]
public sealed class AppendManifestTests
{
    private static readonly AppendOptions Options = new()
    {
        SnapshotTime = Time + 3600,
        OpenSource = n => new MemoryStream(Content(n)),
        WriteManifest = true,
    };

    [TestMethod]
    public void Each_appended_session_stores_the_manifest_of_its_own_tree_and_verifies_good()
    {
        using var image = new MemoryStream();
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("gone.txt", 5), Dir("d", File("x.txt", 3))), Options);
        SourceNode changed = new() { Name = "x.txt", Kind = SourceKind.File, SizeBytes = 4, Permissions = 0x1A4, ModifyTime = Time + 60, ChangeTime = Time + 60 };
        AppendResult second = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), Dir("d", changed), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });
        AppendResult third = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), Dir("d", changed), File("new.txt", 7), File("late.txt", 9)), Options with { SnapshotTime = Time + 9000 });

        Assert.AreEqual(1, second.FilesReused);
        Assert.AreEqual(3, third.FilesReused);
        SessionTable table = SessionTable.Read(image);
        string[][] trees =
        [
            ["keep.bin", "gone.txt", "d", "d/x.txt"],
            ["keep.bin", "d", "d/x.txt", "new.txt"],
            ["keep.bin", "d", "d/x.txt", "new.txt", "late.txt"],
        ];
        string? keepHash = null;
        for (int n = 1; n <= 3; n++)
        {
            IsoImage session = table.Open(image, n);
            BackupManifest manifest = StoredManifest(session);
            CollectionAssert.AreEquivalent(trees[n - 1], manifest.Entries.Select(e => e.Path).ToArray(), $"session {n}");
            foreach ((string path, IsoEntry entry) in session.Walk().Where(w => w.Entry.Kind == SourceKind.File && w.Path != BackupManifest.FileName))
            {
                var data = new MemoryStream();
                session.CopyFile(entry, data);
                Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(data.ToArray())), manifest.Find(path)!.Sha256, $"session {n}: {path}");
            }

            keepHash ??= manifest.Find("keep.bin")!.Sha256;
            Assert.AreEqual(keepHash, manifest.Find("keep.bin")!.Sha256, "a reused file keeps its hash");
        }

        Assert.IsNotNull(third.Manifest);
        VerifyReport report = IsoVerifier.Verify(image, null);
        Assert.IsTrue(report.Good, string.Join("\n", report.Problems));
        Assert.AreEqual("disc", report.ManifestSource);
        Assert.AreEqual(4, report.FilesChecked);
    }

    [TestMethod]
    public void Every_session_verifies_against_its_own_manifest_and_a_flip_in_shared_data_shows_in_each()
    {
        using var image = new MemoryStream();
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("gone.txt", 5)), Options);
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });
        SessionTable table = SessionTable.Read(image);
        foreach (IsoSession s in table.Sessions)
        {
            VerifyReport report = IsoVerifier.Verify(image, s.StartLba, null);
            Assert.IsTrue(report.Good, $"session {s.Number}: " + string.Join("\n", report.Problems));
            Assert.AreEqual(2, report.FilesChecked);
            Assert.AreEqual(s.EndLba, report.BlocksRead, "every block up to the session's end");
        }

        // keep.bin's data lies in session 1 and is shared by session 2: both report it.
        uint lba = table.Open(image, 1).Walk().Single(w => w.Path == "keep.bin").Entry.Extents[0].Lba;
        image.GetBuffer()[((long)lba * IsoFields.BlockBytes) + 5] ^= 0x01;
        foreach (IsoSession s in table.Sessions)
        {
            VerifyProblem problem = IsoVerifier.Verify(image, s.StartLba, null).Problems.Single();
            Assert.AreEqual((VerifyProblemKind.ContentChanged, "keep.bin"), (problem.Kind, problem.Where), $"session {s.Number}");
        }

        // gone.txt is only in session 1: a flip there leaves session 2 good.
        uint gone = table.Open(image, 1).Walk().Single(w => w.Path == "gone.txt").Entry.Extents[0].Lba;
        image.GetBuffer()[((long)lba * IsoFields.BlockBytes) + 5] ^= 0x01;
        image.GetBuffer()[(long)gone * IsoFields.BlockBytes] ^= 0x01;
        Assert.AreEqual("gone.txt", IsoVerifier.Verify(image, table.Sessions[0].StartLba, null).Problems.Single().Where);
        Assert.IsTrue(IsoVerifier.Verify(image, table.Sessions[1].StartLba, null).Good);
    }

    [TestMethod]
    public void Appended_sessions_go_into_the_catalog_and_verify_checks_each_against_its_own_entry()
    {
        string state = Path.Combine(Path.GetTempPath(), "upsagent-catalog-" + Guid.NewGuid().ToString("N"));
        try
        {
            var catalog = new BackupCatalog(state);
            using var image = new MemoryStream();
            AppendResult first = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000)), Options);
            catalog.Add(first.CatalogEntry("image")!, first.ManifestBytes!);
            AppendResult second = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });
            catalog.Add(second.CatalogEntry("image")!, second.ManifestBytes!);
            Assert.IsNull(SessionAppender.Append(image, Dir("", File("plain.txt", 3)), Options with { SnapshotTime = Time + 9000, WriteManifest = false }).CatalogEntry("image"));

            Assert.HasCount(2, catalog.Sessions());
            VerifyReport older = IsoVerifier.Verify(image, first.Session.StartLba, catalog);
            Assert.IsTrue(older.Good, string.Join("\n", older.Problems));
            Assert.AreEqual("catalog", older.ManifestSource);
            Assert.AreEqual(first.Session.StartLba, older.CatalogSession!.StartLba);
            VerifyReport newer = IsoVerifier.Verify(image, second.Session.StartLba, catalog);
            Assert.IsTrue(newer.Good, string.Join("\n", newer.Problems));
            Assert.AreEqual(second.Session.StartLba, newer.CatalogSession!.StartLba);
            Assert.AreEqual(second.Plan.DataLba - second.Session.StartLba, newer.CatalogSession.MetadataBlocks);

            // The last byte of the session's last directory block is padding: readers still parse it, the digest does not match.
            long padding = ((long)(second.Session.StartLba + second.MetadataBlocks) * IsoFields.BlockBytes) - 1;
            image.GetBuffer()[padding] ^= 0x01;
            VerifyReport changed = IsoVerifier.Verify(image, second.Session.StartLba, catalog);
            Assert.IsFalse(changed.Good);
            Assert.IsTrue(changed.Problems.Any(p => p.Detail.Contains("the catalog recorded", StringComparison.Ordinal)), string.Join("\n", changed.Problems));
            Assert.IsTrue(IsoVerifier.Verify(image, first.Session.StartLba, catalog).Good, "session 1's blocks are untouched");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [TestMethod]
    public void A_reused_file_is_hashed_from_the_image_when_the_previous_session_has_no_manifest()
    {
        using var image = new MemoryStream();
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000)), Options with { WriteManifest = false });
        AppendResult second = SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });

        Assert.AreEqual(1, second.FilesReused);
        string expected = Convert.ToHexStringLower(SHA256.HashData(Content(File("keep.bin", 100_000))));
        Assert.AreEqual(expected, StoredManifest(IsoImage.Open(image)).Find("keep.bin")!.Sha256);
        Assert.IsTrue(IsoVerifier.Verify(image, null).Good);
    }

    [TestMethod]
    public void A_bit_flipped_in_reused_data_is_reported_against_the_newest_manifest()
    {
        using var image = new MemoryStream();
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000)), Options);
        SessionAppender.Append(image, Dir("", File("keep.bin", 100_000), File("new.txt", 7)), Options with { SnapshotTime = Time + 7200 });
        uint lba = IsoImage.Open(image).Walk().Single(w => w.Path == "keep.bin").Entry.Extents[0].Lba;

        image.GetBuffer()[((long)lba * IsoFields.BlockBytes) + 777] ^= 0x10;

        VerifyReport report = IsoVerifier.Verify(image, null);
        Assert.IsFalse(report.Good);
        VerifyProblem problem = report.Problems.Single();
        Assert.AreEqual(VerifyProblemKind.ContentChanged, problem.Kind);
        Assert.AreEqual("keep.bin", problem.Where);
    }

    [TestMethod]
    public void A_source_file_named_like_the_manifest_gives_way_to_it()
    {
        using var image = new MemoryStream();
        AppendResult result = SessionAppender.Append(image, Dir("", File("a.txt", 10), File(BackupManifest.FileName, 3)), Options);
        Assert.IsNull(result.Manifest!.Find(BackupManifest.FileName));
        Assert.AreEqual(result.Manifest.ToBytes().Length, IsoImage.Open(image).Walk().Single(w => w.Path == BackupManifest.FileName).Entry.SizeBytes);
    }

    private static BackupManifest StoredManifest(IsoImage session)
    {
        IsoEntry entry = session.ReadDirectory(session.Root).Single(e => e.Name == BackupManifest.FileName);
        var bytes = new MemoryStream();
        session.CopyFile(entry, bytes);
        return BackupManifest.Parse(bytes.ToArray(), "test");
    }
}
