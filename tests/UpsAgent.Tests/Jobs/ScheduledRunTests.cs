using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using UpsAgent.Tests.Cli;

namespace UpsAgent.Tests.Jobs;

// The real "upsagent run" with a [job NAME] whose crontab schedule is the next two minutes of the host's
// local time: the agent's own scheduler starts the run, and the image it writes is read by the real peers.
[TestClass]
public sealed class ScheduledRunTests
{
    private const string Isoinfo = "/usr/bin/isoinfo";
    private const string Xorriso = "/usr/bin/xorriso";

    [TestMethod, Timeout(180_000)]
    public void The_running_agent_runs_a_job_at_its_scheduled_minute_and_job_status_reports_it()
    {
        foreach (string tool in new[] { Isoinfo, Xorriso })
        {
            if (!File.Exists(tool))
            {
                Assert.Inconclusive($"{tool} is not installed (Debian packages genisoimage, xorriso)");
            }
        }

        // Cron has minutes, not seconds. The next minute of the host's local time, and the one after
        // should the agent's start cross into it: the wait stays under about 62 s.
        DateTime now = DateTime.Now;
        DateTime first = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Local).AddMinutes(1);
        DateTime second = first.AddMinutes(1);

        // The hour field holds both hours when the two minutes straddle one (the spare matches it
        // adds are an hour away).
        string hours = first.Hour == second.Hour ? $"{first.Hour}" : $"{first.Hour},{second.Hour}";
        string schedule = $"{first.Minute},{second.Minute} {hours} * * *";

        string dir = Directory.CreateTempSubdirectory("upsagent-sched").FullName;
        try
        {
            string www = Path.Combine(dir, "www");
            Directory.CreateDirectory(Path.Combine(www, "img"));
            File.WriteAllText(Path.Combine(www, "index.html"), "<h1>scheduled</h1>\n");
            File.WriteAllBytes(Path.Combine(www, "img", "logo.png"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray());
            string image = Path.Combine(dir, "nightly.iso");
            string socket = Path.Combine(dir, "ctl.sock");
            string config = Path.Combine(dir, "upsagent.conf");
            File.WriteAllText(config, $"""
                [agent]
                control-socket = {socket}
                [nut]
                listen = none
                [ups ups]
                [job tick]
                schedule = {schedule}
                source = {www}
                image = {image}
                state-dir = {Path.Combine(dir, "state")}
                """);

            using AgentProcess agent = AgentProcess.Start("run", "--config", config);
            AgentProcess.WaitUntil(() => File.Exists(socket) || agent.HasExited, TimeSpan.FromSeconds(30), "the control socket");
            Assert.IsFalse(agent.HasExited, "the agent stopped:\n" + agent.Stderr);

            // Through the control socket, the agent's scheduler says when it will run.
            string status = JobStatus(socket);
            Match next = Regex.Match(status, @"job tick: next run (\d{4}-\d\d-\d\d \d\d:\d\d)");
            Assert.IsTrue(next.Success, status);
            DateTime nextRun = DateTime.ParseExact(next.Groups[1].Value, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            Assert.IsTrue(nextRun == first || nextRun == second, $"next run {nextRun:HH:mm} for schedule '{schedule}'");
            Assert.IsFalse(File.Exists(image), "nothing runs before the scheduled minute");
            StringAssert.Contains(status, "last run: never");

            // Wait for the run (bounded: the scheduled minute plus time for the run itself). The agent's
            // log says when it is over; "job status" is then asked once.
            TimeSpan patience = nextRun - DateTime.Now + TimeSpan.FromSeconds(40);
            try
            {
                AgentProcess.WaitUntil(
                    () => agent.Stderr.Contains("job tick: done", StringComparison.Ordinal) || agent.Stderr.Contains("job tick: FAILED", StringComparison.Ordinal) || agent.HasExited,
                    patience,
                    $"the run scheduled at {nextRun:HH:mm}");
            }
            catch (AssertFailedException e)
            {
                Assert.Fail($"{e.Message}; agent stderr:\n{agent.Stderr}");
            }

            status = JobStatus(socket);
            StringAssert.Contains(status, $"last run: ok at {nextRun:yyyy-MM-dd HH:mm}:", "it started at the scheduled minute");
            StringAssert.Contains(status, $"{image}: session 1 at block 32");
            StringAssert.Contains(status, "verified");
            StringAssert.Contains(status, "sizes:    session ");
            StringAssert.Contains(agent.Stderr, "job tick: started");
            Assert.AreEqual(0, agent.Terminate(TimeSpan.FromSeconds(20)), agent.Stderr);

            // The real peers read what the agent wrote.
            string listing = Run(Isoinfo, "-R", "-l", "-i", image);
            StringAssert.Contains(listing, "Directory listing of /www/img/");
            StringAssert.Contains(listing, " index.html");
            StringAssert.Matches(listing, new Regex(@" 5000 .* logo\.png"));
            string toc = Run(Xorriso, "-indev", image, "-toc");
            StringAssert.Matches(toc, new Regex(@"ISO session\s+:\s+1 ,\s+32 ,"), toc);
            StringAssert.Contains(toc, "'TICK'");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>"job status" asked of the running agent through its control socket.</summary>
    private static string JobStatus(string socket)
    {
        var (code, stdout, stderr) = AgentProcess.Run(null, "repl", "--control-socket", socket, "-c", "job status");
        Assert.AreEqual(0, code, stdout + stderr);
        return stdout;
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish in 30 s");
        }

        string output = stdout.Result + stderr.Result;
        Assert.AreEqual(0, p.ExitCode, $"{file} {string.Join(' ', args)}:\n{output}");
        return output;
    }
}
