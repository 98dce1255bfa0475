using UpsAgent.Configuration;
using UpsAgent.Hosting;
using UpsAgent.Tests.Cli;

namespace UpsAgent.Tests.Jobs;

// "job list|run|status" on the command line (the real executable) and in the REPL of an agent.
[TestClass]
public sealed class JobCommandTests
{
    private static string Setup(out string config, bool failingDump = false, string extra = "")
    {
        string dir = Path.Combine(Path.GetTempPath(), $"upsagent-job-{Guid.NewGuid():N}");
        string www = Path.Combine(dir, "www");
        Directory.CreateDirectory(www);
        File.WriteAllText(Path.Combine(www, "index.html"), "<h1>hello</h1>\n");
        string script = Path.Combine(dir, "pg_dump");
        File.WriteAllText(script, failingDump
            ? "#!/bin/sh\necho 'pg_dump: error: database \"testdb\" does not exist' >&2\nexit 1\n"
            : "#!/bin/sh\necho \"-- dump of $1\"\necho 'CREATE TABLE t (id integer);'\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        config = Path.Combine(dir, "upsagent.conf");
        File.WriteAllText(config, $"""
            [agent]
            control-socket = none
            [nut]
            listen = none
            [ups ups]
            [job nightly]
            schedule = 02 4 * * *
            source = {www}
            pg_dump = testdb
            pg_dump-user = {Environment.UserName}
            pg_dump-command = {script}
            image = {Path.Combine(dir, "nightly.iso")}
            state-dir = {Path.Combine(dir, "state")}
            {extra}
            """);
        return dir;
    }

    [TestMethod]
    public void The_command_line_lists_runs_and_reports_a_job()
    {
        string dir = Setup(out string config);
        try
        {
            var (code, stdout, stderr) = AgentProcess.Run(null, "job", "list", "--config", config);
            Assert.AreEqual(0, code, stderr);
            StringAssert.Contains(stdout, "job nightly: schedule '02 4 * * *', next run ");
            StringAssert.Contains(stdout, "(as www/)");
            StringAssert.Contains(stdout, "pg_dump testdb (as pg_dump/testdb.sql)");
            StringAssert.Contains(stdout, $"target  image {Path.Combine(dir, "nightly.iso")}; capacity free space of the image's file system, manifest yes, verify yes, volume id NIGHTLY");

            (code, stdout, _) = AgentProcess.Run(null, "job", "status", "--config", config);
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, "last run: never");

            (code, stdout, _) = AgentProcess.Run(null, "check", "--config", config);
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, $"job nightly: schedule '02 4 * * *', next run ");
            StringAssert.Contains(stdout, $"pg_dump testdb; image {Path.Combine(dir, "nightly.iso")}");

            for (int night = 1; night <= 2; night++)
            {
                (code, stdout, stderr) = AgentProcess.Run(null, "job", "run", "nightly", "--config", config);
                Assert.AreEqual(0, code, stdout + stderr);
                StringAssert.Contains(stdout, $"job nightly: ok at ");
                StringAssert.Contains(stdout, $"session {night} at block");
                StringAssert.Contains(stdout, "verified");
            }

            (code, stdout, _) = AgentProcess.Run(null, "job", "status", "--config", config);
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, "last run: ok at");
            StringAssert.Contains(stdout, "session 2 at block");
            StringAssert.Contains(stdout, "dumps 47 bytes");

            (code, stdout, _) = AgentProcess.Run(null, "iso", "ls", Path.Combine(dir, "nightly.iso"));
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, " pg_dump/testdb.sql");
            StringAssert.Contains(stdout, " www/index.html");

            (code, _, stderr) = AgentProcess.Run(null, "job", "run", "weekly", "--config", config);
            Assert.AreEqual(2, code);
            StringAssert.Contains(stderr, "no job 'weekly'");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void A_failing_dump_fails_the_command_with_its_message()
    {
        string dir = Setup(out string config, failingDump: true);
        try
        {
            var (code, _, stderr) = AgentProcess.Run(null, "job", "run", "nightly", "--config", config);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "job nightly: FAILED at");
            StringAssert.Contains(stderr, "pg_dump testdb exited with status 1: pg_dump: error: database \"testdb\" does not exist");
            Assert.IsFalse(File.Exists(Path.Combine(dir, "nightly.iso")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void A_session_over_the_capacity_fails_the_run_and_job_status_says_why()
    {
        string dir = Setup(out string config, extra: "capacity = 100s");
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "www", "big.bin"), new byte[300_000]);
            var (code, stdout, stderr) = AgentProcess.Run(null, "job", "list", "--config", config);
            Assert.AreEqual(0, code, stderr);
            StringAssert.Contains(stdout, "; capacity 100s (204800 bytes), manifest yes");

            (code, _, stderr) = AgentProcess.Run(null, "job", "run", "nightly", "--config", config);
            Assert.AreEqual(1, code);
            StringAssert.Contains(stderr, "job nightly: FAILED at");
            Assert.IsFalse(File.Exists(Path.Combine(dir, "nightly.iso")), "a first session that does not fit leaves no image");

            (code, stdout, _) = AgentProcess.Run(null, "job", "status", "--config", config);
            Assert.AreEqual(0, code);
            StringAssert.Contains(stdout, $"last run: FAILED at ");
            StringAssert.Contains(stdout, $"{Path.Combine(dir, "nightly.iso")}: medium full: the new session needs ");
            StringAssert.Contains(stdout, "but the medium holds 100 blocks (68 free); nothing was written (capacity = 100s (204800 bytes))");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task The_repl_lists_starts_and_reports_jobs_inside_the_agent()
    {
        string dir = Setup(out string config);
        try
        {
            AgentConfig loaded = AgentConfigLoader.LoadFile(config);
            await using var host = new AgentHost(loaded, AgentHostMode.InProcess, log: TextWriter.Null);
            var output = new StringWriter();
            Assert.AreEqual(0, await host.Shell.ExecuteAsync("job list", output, CancellationToken.None));
            StringAssert.Contains(output.ToString(), "job nightly: schedule '02 4 * * *'");
            Assert.AreEqual(1, await host.Shell.ExecuteAsync("job run weekly", output, CancellationToken.None));
            StringAssert.Contains(output.ToString(), "error: no job 'weekly'; configured: nightly");
            Assert.AreEqual(0, await host.Shell.ExecuteAsync("job run nightly", output, CancellationToken.None));
            StringAssert.Contains(output.ToString(), "job nightly started");

            for (int i = 0; i < 1000 && !output.ToString().Contains("last run: ok", StringComparison.Ordinal); i++)
            {
                await Task.Delay(20);
                Assert.AreEqual(0, await host.Shell.ExecuteAsync("job status", output, CancellationToken.None));
            }

            StringAssert.Contains(output.ToString(), "last run: ok at");
            StringAssert.Contains(output.ToString(), "session 1 at block 32");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
