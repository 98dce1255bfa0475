using UpsAgent.Backup.Jobs;
using UpsAgent.Configuration;

namespace UpsAgent.Tests.Jobs;

[TestClass]
public sealed class JobConfigTests
{
    private static AgentConfig Load(string jobs) => AgentConfigLoader.Load("[ups ups]\n" + jobs, "/etc/upsagent/upsagent.conf");

    [TestMethod]
    public void The_seeds_nightly_job_is_read_with_every_key()
    {
        AgentConfig config = Load("""
            [job nightly]
            schedule = 02 4 * * *        # after cron.daily's time, as the seed's crontab
            source = /var/www/
            source = /etc
            pg_dump = testdb
            pg_dump = accounts
            pg_dump-user = postgres
            pg_dump-command = /usr/local/pgsql/bin/pg_dump
            pg_dump-options = --clean --if-exists
            rotation = UPSAGENT_A=/backup/a.iso, UPSAGENT_B=/backup/b.iso
            state-dir = /var/lib/upsagent-test

            [job weekly.www]
            schedule = @weekly
            source = /srv/www
            image = /backup/www.iso
            verify = no
            manifest = off
            capacity = 4.7G
            """);
        Assert.HasCount(2, config.Jobs);
        BackupJob nightly = config.Jobs[0];
        Assert.AreEqual("nightly", nightly.Name);
        Assert.AreEqual("02 4 * * *", nightly.Schedule.Text);
        CollectionAssert.AreEqual(new[] { "/var/www/", "/etc" }, nightly.Sources.ToArray());
        CollectionAssert.AreEqual(new[] { "testdb", "accounts" }, nightly.Databases.ToArray());
        Assert.AreEqual("postgres", nightly.PgDumpUser);
        Assert.AreEqual("/usr/local/pgsql/bin/pg_dump", nightly.PgDumpCommand);
        CollectionAssert.AreEqual(new[] { "--clean", "--if-exists" }, nightly.PgDumpOptions.ToArray());
        Assert.IsNull(nightly.ImagePath);
        CollectionAssert.AreEqual(new[] { ("UPSAGENT_A", "/backup/a.iso"), ("UPSAGENT_B", "/backup/b.iso") }, nightly.Rotation.ToArray());
        Assert.IsTrue(nightly.Verify && nightly.Manifest);
        Assert.AreEqual("/var/lib/upsagent-test", nightly.StateDirectory);

        BackupJob weekly = config.Jobs[1];
        Assert.AreEqual("/backup/www.iso", weekly.ImagePath);
        Assert.AreEqual("WEEKLY_WWW", weekly.VolumeId);
        Assert.IsFalse(weekly.Verify);
        Assert.IsFalse(weekly.Manifest);
        Assert.AreEqual("postgres", weekly.PgDumpUser);
        Assert.AreEqual("pg_dump", weekly.PgDumpCommand);
        Assert.AreEqual(4_700_000_000L, weekly.Capacity.Bytes);
        Assert.AreSame(JobCapacity.FreeSpace, nightly.Capacity, "by default the image's file system, as xorriso sees an image file");
    }

    [TestMethod]
    [DataRow("[job]\nschedule = @daily\n", 2, null, "[job] needs a name")]
    [DataRow("[job a/b]\n", 2, null, "job name 'a/b' may only hold")]
    [DataRow("[job n]\nsource = /a\nimage = /b.iso\n", 2, null, "job 'n' has no 'schedule = ...' line")]
    [DataRow("[job n]\nschedule = 0 25 * * *\nsource = /a\nimage = /b.iso\n", 3, "schedule", "hour field '25': 25 is out of range 0-23")]
    [DataRow("[job n]\nschedule = * * * *\n", 3, "schedule", "4 field(s)")]
    [DataRow("[job n]\nschedule = @daily\nimage = /b.iso\n", 2, null, "job 'n' backs nothing up")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\n", 2, null, "needs exactly one target")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nimage = /b.iso\nrotation = A=/a.iso\n", 2, null, "needs exactly one target")]
    [DataRow("[job n]\nschedule = @daily\nsource = relative/dir\n", 4, "source", "'relative/dir' is not an absolute path")]
    [DataRow("[job n]\nschedule = @daily\nsource = /\n", 4, "source", "no last path component")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a/www\nsource = /b/www\n", 5, "source", "another source is also kept under 'www'")]
    [DataRow("[job n]\nschedule = @daily\nsource = /srv/pg_dump\npg_dump = db\nimage = /x.iso\n", 2, null, "clash with the dumps' directory")]
    [DataRow("[job n]\nschedule = @daily\npg_dump = ../etc/passwd\n", 4, "pg_dump", "is not a database name")]
    [DataRow("[job n]\nschedule = @daily\npg_dump = -h\n", 4, "pg_dump", "is not a database name")]
    [DataRow("[job n]\nschedule = @daily\npg_dump = db\npg_dump = db\n", 5, "pg_dump", "database db is dumped twice")]
    [DataRow("[job n]\nschedule = @daily\nrotation = A\n", 4, "rotation", "'A' is not LABEL=TARGET")]
    [DataRow("[job n]\nschedule = @daily\nrotation = a=/x.iso\n", 4, "rotation", "label 'a' must be 1 to 32 of A-Z 0-9 _")]
    [DataRow("[job n]\nschedule = @daily\nrotation = A=/x.iso,A=/y.iso\n", 4, "rotation", "label A appears twice")]
    [DataRow("[job n]\nschedule = @daily\nrotation = A=x.iso\n", 4, "rotation", "target 'x.iso' is not an absolute path")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nrotation = A=/x.iso\nverify = no\n", 6, "verify", "a rotation set always reads the new session back")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nrotation = A=/x.iso\nmanifest = no\n", 6, "manifest", "always writes a manifest")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nrotation = A=/x.iso\nvolume-id = X\n", 6, "volume-id", "volume-id is for image = PATH")]
    [DataRow("[job n]\nschedule = @daily\nverify = maybe\n", 4, "verify", "'maybe' is not yes or no")]
    [DataRow("[job n]\nschedule = @daily\nvolume-id = lower\n", 4, "volume-id", "must be 1 to 32 of A-Z 0-9 _")]
    [DataRow("[job n]\nschedule = @daily\ncompress = yes\n", 4, "compress", "unknown key in [job]")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nimage = /b.iso\ncapacity = 4.7 gigs\n", 6, "capacity", "'4.7 gigs' is not a capacity: give free")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nimage = /b.iso\ncapacity = 100K\n", 6, "capacity", "give at least 64 sectors")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nrotation = A=/a.iso\ncapacity = dvd\n", 6, "capacity", "a rotation set's media know their own capacity")]
    [DataRow("[job n]\nschedule = @daily\nsource = /a\nimage = /x.iso\n[job N]\n", 6, null, "job 'N' is configured twice")]
    public void Bad_job_sections_are_errors_naming_file_line_and_key(string text, int line, string? key, string expected)
    {
        ConfigException e = Assert.ThrowsExactly<ConfigException>(() => Load(text));
        StringAssert.Contains(e.Message, expected);
        Assert.AreEqual("/etc/upsagent/upsagent.conf", e.File);
        Assert.AreEqual(line, e.Line, e.Message);
        Assert.AreEqual(key, e.Key, e.Message);
    }
}
