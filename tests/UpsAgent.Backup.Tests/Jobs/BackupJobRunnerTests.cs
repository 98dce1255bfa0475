using System.Text;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Jobs;
using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Media;
using UpsAgent.Backup.Schedules;
using UpsAgent.Backup.Sessions;
using UpsAgent.Backup.Tests.Interop;
using UpsAgent.Backup.Tests.Media;

namespace UpsAgent.Backup.Tests.Jobs;

[TestClass]
public sealed class BackupJobRunnerTests
{
    private const long Night1 = 1_066_608_000; // 2003-10-20 00:00 UTC
    private const long Night2 = Night1 + 86_400;

    private static BackupJob Job(TempDirectory dir, string pgDump) => new("nightly", CronSchedule.Parse("0 3 * * *"))
    {
        Sources = [Path.Combine(dir.Path, "www")],
        Databases = ["testdb"],
        PgDumpUser = Environment.UserName,
        PgDumpCommand = pgDump,
        PgDumpOptions = ["--clean"],
        ImagePath = Path.Combine(dir.Path, "backup.iso"),
        VolumeId = "NIGHTLY",
        StateDirectory = Path.Combine(dir.Path, "state"),
    };

    private static void Tree(TempDirectory dir)
    {
        string www = Path.Combine(dir.Path, "www");
        Directory.CreateDirectory(Path.Combine(www, "cgi-bin"));
        File.WriteAllText(Path.Combine(www, "index.html"), "<h1>hello</h1>\n");
        File.WriteAllText(Path.Combine(www, "cgi-bin", "counter.cgi"), "#!/bin/sh\necho 42\n");
    }

    private static string Read(IsoImage image, string path)
    {
        IsoEntry entry = image.Walk().Single(p => p.Path == path).Entry;
        using var bytes = new MemoryStream();
        image.CopyFile(entry, bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [TestMethod]
    public async Task Two_runs_append_two_sessions_each_holding_the_sources_and_the_dump()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        BackupJob job = Job(dir, FakePgDump.Good(dir.Path));
        var runner = new BackupJobRunner(new ToolProcessRunner());

        JobResult first = await runner.RunAsync(job, Night1, CancellationToken.None);
        Assert.IsTrue(first.Succeeded, first.Message);
        Assert.Contains("session 1", first.Message);
        Assert.Contains("verified", first.Message);
        Assert.IsGreaterThan(0L, first.DumpBytes);
        Assert.IsGreaterThan(0L, first.SessionBytes);

        File.WriteAllText(Path.Combine(dir.Path, "www", "new.html"), "second night\n");
        JobResult second = await runner.RunAsync(job, Night2, CancellationToken.None);
        Assert.IsTrue(second.Succeeded, second.Message);
        Assert.Contains("session 2", second.Message);

        using var stream = File.OpenRead(job.ImagePath!);
        SessionTable table = SessionTable.Read(stream);
        Assert.HasCount(2, table.Sessions);
        IsoImage older = table.Open(stream, 1);
        IsoImage newer = table.Open(stream, 2);
        string dump = Read(newer, "pg_dump/testdb.sql");
        StringAssert.StartsWith(dump, "-- PostgreSQL database dump\n");
        Assert.Contains("-- options: --clean testdb", dump);
        Assert.Contains("-- database: testdb", dump);
        Assert.AreEqual(dump, Read(older, "pg_dump/testdb.sql"));
        Assert.AreEqual("<h1>hello</h1>\n", Read(newer, "www/index.html"));
        Assert.AreEqual("#!/bin/sh\necho 42\n", Read(older, "www/cgi-bin/counter.cgi"));
        Assert.AreEqual("second night\n", Read(newer, "www/new.html"));
        Assert.IsFalse(older.Walk().Any(p => p.Path == "www/new.html"));

        // The dump is the database's contents: 0600 on the disc, under a 0700 directory.
        Assert.AreEqual(0x8180u, newer.Walk().Single(p => p.Path == "pg_dump/testdb.sql").Entry.Mode);
        Assert.AreEqual(0x41C0u, newer.Walk().Single(p => p.Path == "pg_dump").Entry.Mode);

        // Both sessions are in the catalog, verified good; the work directory is gone.
        var catalog = new BackupCatalog(job.StateDirectory);
        Assert.HasCount(2, catalog.Sessions());
        Assert.IsTrue(catalog.Sessions().All(s => s.State == VerifyState.Good));
        Assert.IsFalse(Directory.Exists(Path.Combine(job.StateDirectory, "jobs", "nightly.work")));
    }

    [TestMethod]
    public async Task Independent_tools_see_both_sessions_and_the_dump()
    {
        Tool.Require("/usr/bin/xorriso", "xorriso");
        Tool.Require("/usr/bin/isoinfo", "genisoimage");
        using var dir = new TempDirectory();
        Tree(dir);
        BackupJob job = Job(dir, FakePgDump.Good(dir.Path));
        var runner = new BackupJobRunner(new ToolProcessRunner());
        Assert.IsTrue((await runner.RunAsync(job, Night1, CancellationToken.None)).Succeeded);
        Assert.IsTrue((await runner.RunAsync(job, Night2, CancellationToken.None)).Succeeded);

        string toc = Tool.Ok("/usr/bin/xorriso", "-indev", job.ImagePath!, "-toc");
        Assert.Contains("Media summary: 2 sessions", toc);
        Assert.AreEqual(2, toc.Split('\n').Count(l => l.StartsWith("ISO session", StringComparison.Ordinal)), toc);

        string listing = Tool.Ok("/usr/bin/isoinfo", "-R", "-f", "-i", job.ImagePath!);
        Assert.Contains("/pg_dump/testdb.sql", listing);
        Assert.Contains("/www/cgi-bin/counter.cgi", listing);
        string dump = Tool.Ok("/usr/bin/isoinfo", "-R", "-i", job.ImagePath!, "-x", "/pg_dump/testdb.sql");
        Assert.Contains("-- database: testdb", dump);
    }

    [TestMethod]
    public async Task A_failing_dump_fails_the_job_with_its_message_and_writes_no_session()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        var runner = new BackupJobRunner(new ToolProcessRunner());
        BackupJob good = Job(dir, FakePgDump.Good(dir.Path));
        BackupJob failing = good with { PgDumpCommand = FakePgDump.Failing(dir.Path) };

        // First run fails: no image at all, not an image of the sources claiming to be the backup.
        JobResult result = await runner.RunAsync(failing, Night1, CancellationToken.None);
        Assert.IsFalse(result.Succeeded);
        Assert.Contains("pg_dump testdb exited with status 1", result.Message);
        Assert.Contains("database \"testdb\" does not exist", result.Message);
        Assert.IsFalse(File.Exists(good.ImagePath));

        // After a good night, a failing one leaves the image as it was.
        Assert.IsTrue((await runner.RunAsync(good, Night1, CancellationToken.None)).Succeeded);
        long length = new FileInfo(good.ImagePath!).Length;
        Assert.IsFalse((await runner.RunAsync(failing, Night2, CancellationToken.None)).Succeeded);
        Assert.AreEqual(length, new FileInfo(good.ImagePath!).Length);
        using var stream = File.OpenRead(good.ImagePath!);
        Assert.HasCount(1, SessionTable.Read(stream).Sessions);
        Assert.HasCount(1, new BackupCatalog(good.StateDirectory).Sessions());
        Assert.IsFalse(Directory.Exists(Path.Combine(good.StateDirectory, "jobs", "nightly.work")));
    }

    [TestMethod]
    public async Task A_session_is_written_when_it_fits_or_exactly_fits_the_capacity_and_refused_one_sector_over_leaving_the_image_as_it_was()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        File.WriteAllBytes(Path.Combine(dir.Path, "www", "photo.jpg"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 >> 3)).ToArray());
        var runner = new BackupJobRunner(new ToolProcessRunner());
        BackupJob night1 = Job(dir, FakePgDump.Good(dir.Path)) with { Databases = [] };
        Assert.IsTrue((await runner.RunAsync(night1, Night1, CancellationToken.None)).Succeeded);
        File.WriteAllBytes(Path.Combine(dir.Path, "www", "photo2.jpg"), Enumerable.Range(0, 200_000).Select(i => (byte)(i * 17 >> 2)).ToArray());

        // The same second night on copies of the image, each held to another capacity; the first, held to
        // its file system's free space (the default), says how many bytes the grown image needs.
        BackupJob On(string name, string capacity)
        {
            string copy = Path.Combine(dir.Path, name + ".iso");
            File.Copy(night1.ImagePath!, copy);
            return night1 with { ImagePath = copy, Capacity = JobCapacity.Parse(capacity), StateDirectory = Path.Combine(dir.Path, "state-" + name) };
        }

        JobResult free = await runner.RunAsync(On("free", "free"), Night2, CancellationToken.None);
        Assert.IsTrue(free.Succeeded, free.Message);
        long needed = new FileInfo(Path.Combine(dir.Path, "free.iso")).Length;
        Assert.AreEqual(0L, needed % IsoFields.BlockBytes);
        Assert.IsGreaterThan(new FileInfo(night1.ImagePath!).Length + 200_000, needed);

        JobResult dvd = await runner.RunAsync(On("dvd", "dvd"), Night2, CancellationToken.None);
        Assert.IsTrue(dvd.Succeeded, dvd.Message);
        Assert.Contains("session 2", dvd.Message);

        JobResult exact = await runner.RunAsync(On("exact", needed.ToString(System.Globalization.CultureInfo.InvariantCulture)), Night2, CancellationToken.None);
        Assert.IsTrue(exact.Succeeded, exact.Message);
        Assert.AreEqual(needed, new FileInfo(Path.Combine(dir.Path, "exact.iso")).Length);

        BackupJob over = On("over", $"{(needed / IsoFields.BlockBytes) - 1}s");
        string before = Sha256(over.ImagePath!);
        DateTime written = File.GetLastWriteTimeUtc(over.ImagePath!);
        JobResult refused = await runner.RunAsync(over, Night2, CancellationToken.None);
        Assert.IsFalse(refused.Succeeded);
        StringAssert.StartsWith(refused.Message, $"{over.ImagePath}: medium full: the new session needs ");
        Assert.Contains($"but the medium holds {(needed / IsoFields.BlockBytes) - 1} blocks", refused.Message);
        Assert.Contains($"(capacity = {(needed / IsoFields.BlockBytes) - 1}s ({needed - IsoFields.BlockBytes} bytes))", refused.Message);
        Assert.AreEqual(0L, refused.SessionBytes);
        Assert.AreEqual(before, Sha256(over.ImagePath!), "the refused image is byte for byte as it was");
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(over.ImagePath!));
        using (var stream = File.OpenRead(over.ImagePath!))
        {
            Assert.HasCount(1, SessionTable.Read(stream).Sessions);
        }

        Assert.IsEmpty(new BackupCatalog(over.StateDirectory).Sessions());

        // A first session that cannot fit leaves no image behind.
        BackupJob tiny = night1 with { ImagePath = Path.Combine(dir.Path, "tiny.iso"), Capacity = JobCapacity.Parse("64s") };
        JobResult none = await runner.RunAsync(tiny, Night1, CancellationToken.None);
        Assert.IsFalse(none.Succeeded);
        Assert.Contains("medium full", none.Message);
        Assert.IsFalse(File.Exists(tiny.ImagePath));
    }

    private static string Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    [TestMethod]
    public async Task A_dump_that_writes_to_stderr_fails_even_with_exit_status_0()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        BackupJob job = Job(dir, FakePgDump.Warning(dir.Path));
        JobResult result = await new BackupJobRunner(new ToolProcessRunner()).RunAsync(job, Night1, CancellationToken.None);
        Assert.IsFalse(result.Succeeded);
        Assert.Contains("pg_dump testdb wrote to stderr: pg_dump: warning: could not read the table t completely", result.Message);
        Assert.IsFalse(File.Exists(job.ImagePath));
    }

    [TestMethod]
    public async Task A_missing_pg_dump_program_or_source_fails_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        BackupJob job = Job(dir, Path.Combine(dir.Path, "no-such-pg_dump"));
        JobResult result = await new BackupJobRunner(new ToolProcessRunner()).RunAsync(job, Night1, CancellationToken.None);
        Assert.IsFalse(result.Succeeded);
        Assert.Contains("pg_dump testdb: cannot start", result.Message);

        BackupJob noSource = Job(dir, FakePgDump.Good(dir.Path)) with { Sources = [Path.Combine(dir.Path, "gone")] };
        result = await new BackupJobRunner(new ToolProcessRunner()).RunAsync(noSource, Night1, CancellationToken.None);
        Assert.IsFalse(result.Succeeded);
        Assert.Contains("gone", result.Message);
        Assert.IsFalse(File.Exists(job.ImagePath));
    }

    [TestMethod]
    public void Pg_dump_runs_directly_as_its_user_through_runuser_from_root_and_is_refused_otherwise()
    {
        BackupJob job = new("n", CronSchedule.Parse("@daily")) { PgDumpCommand = "/usr/bin/pg_dump", PgDumpOptions = ["-Fp"] };
        var direct = PgDump.CommandFor(job, "testdb", "postgres", privileged: false);
        Assert.AreEqual("/usr/bin/pg_dump", direct.FileName);
        CollectionAssert.AreEqual(new[] { "-Fp", "testdb" }, direct.Arguments.ToArray());

        var fromRoot = PgDump.CommandFor(job, "testdb", "root", privileged: true);
        Assert.AreEqual("runuser", fromRoot.FileName);
        CollectionAssert.AreEqual(new[] { "-u", "postgres", "--", "/usr/bin/pg_dump", "-Fp", "testdb" }, fromRoot.Arguments.ToArray());

        JobFailedException e = Assert.ThrowsExactly<JobFailedException>(() => PgDump.CommandFor(job, "testdb", "backup", privileged: false));
        Assert.Contains("the agent runs as backup, not root, so it cannot run pg_dump as postgres", e.Message);
    }

    [TestMethod]
    public async Task From_root_the_dump_runs_as_the_configured_user()
    {
        if (!Environment.IsPrivilegedProcess || !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            Assert.Inconclusive("needs root and runuser");
        }

        using var dir = new TempDirectory();
        Tree(dir);
        string tools = Path.Combine(dir.Path, "tools");
        Directory.CreateDirectory(tools);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        BackupJob job = Job(dir, FakePgDump.Good(tools)) with { PgDumpUser = "nobody" };
        JobResult result = await new BackupJobRunner(new ToolProcessRunner()).RunAsync(job, Night1, CancellationToken.None);
        Assert.IsTrue(result.Succeeded, result.Message);
        using var stream = File.OpenRead(job.ImagePath!);
        Assert.Contains("-- user: nobody", Read(IsoImage.Open(stream), "pg_dump/testdb.sql"));
    }

    [TestMethod]
    public async Task A_rotation_job_writes_the_media_of_the_set_in_turn()
    {
        using var dir = new TempDirectory();
        Tree(dir);
        VirtualDisc.Create(Path.Combine(dir.Path, "a.iso"), MediumProfile.Cd700);
        VirtualDisc.Create(Path.Combine(dir.Path, "b.iso"), MediumProfile.Cd700);
        BackupJob job = Job(dir, FakePgDump.Good(dir.Path)) with
        {
            ImagePath = null,
            Rotation = [("UPSAGENT_A", Path.Combine(dir.Path, "a.iso")), ("UPSAGENT_B", Path.Combine(dir.Path, "b.iso"))],
        };
        var runner = new BackupJobRunner(new ToolProcessRunner());
        JobResult first = await runner.RunAsync(job, Night1, CancellationToken.None);
        JobResult second = await runner.RunAsync(job, Night2, CancellationToken.None);
        JobResult third = await runner.RunAsync(job, Night2 + 86_400, CancellationToken.None);
        Assert.IsTrue(first.Succeeded && second.Succeeded && third.Succeeded, $"{first.Message}\n{second.Message}\n{third.Message}");
        StringAssert.StartsWith(first.Message, "UPSAGENT_A written");
        StringAssert.StartsWith(second.Message, "UPSAGENT_B written");
        StringAssert.StartsWith(third.Message, "UPSAGENT_A blanked and written");
        using var stream = File.OpenRead(Path.Combine(dir.Path, "a.iso"));
        Assert.Contains("-- database: testdb", Read(IsoImage.Open(stream), "pg_dump/testdb.sql"));
    }

    [TestMethod]
    public void Results_are_saved_and_read_back()
    {
        using var dir = new TempDirectory();
        var store = new JobResultStore(dir.Path);
        Assert.IsNull(store.Load("nightly"));
        var result = new JobResult("nightly", false, Night1, 12.5, "pg_dump testdb exited with status 1:\nboom") { SessionBytes = 4096, NewBytes = 2048, DumpBytes = 77 };
        store.Save(result);
        Assert.AreEqual(result with { Message = "pg_dump testdb exited with status 1: boom" }, store.Load("nightly"));
    }
}
