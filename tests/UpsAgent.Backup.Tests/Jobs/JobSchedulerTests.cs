using UpsAgent.Backup.Jobs;
using UpsAgent.Backup.Schedules;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Backup.Tests.Jobs;

[TestClass]
public sealed class JobSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 2, 58, 0, TimeSpan.Zero);

    /// <summary>A job body the test finishes by hand; it records the start times it was given.</summary>
    private sealed class Runs
    {
        private readonly List<(long Started, TaskCompletionSource<bool> Done)> _runs = [];

        public int Count
        {
            get { lock (_runs) { return _runs.Count; } }
        }

        /// <summary>Runs start on the thread pool: waits (bounded) until <paramref name="count"/> have begun.</summary>
        public async Task Started(int count)
        {
            for (int i = 0; i < 1000 && Count < count; i++)
            {
                await Task.Delay(10);
            }

            Assert.AreEqual(count, Count);
        }

        public long StartedTime(int i)
        {
            lock (_runs) { return _runs[i].Started; }
        }

        public void Finish(int i, bool succeeded)
        {
            lock (_runs) { _runs[i].Done.SetResult(succeeded); }
        }

        public async Task<JobResult> Run(BackupJob job, long started, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_runs)
            {
                _runs.Add((started, done));
            }

            bool ok = await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new JobResult(job.Name, ok, started, 1.5, ok ? "written" : "pg_dump testdb exited with status 1") { SessionBytes = 2048 };
        }
    }

    private static BackupJob Job(TempDirectory dir, string schedule) =>
        new("nightly", CronSchedule.Parse(schedule)) { ImagePath = "/backup/n.iso", StateDirectory = dir.Path };

    private static async Task Finished(JobScheduler scheduler, string name)
    {
        if (scheduler.Running(name) is { } running)
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [TestMethod]
    public async Task A_job_runs_at_its_time_and_its_result_is_kept_and_saved()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var runs = new Runs();
        var log = new ListLogger();
        await using var scheduler = new JobScheduler([Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, runs.Run, log);
        Assert.AreEqual(Start.AddMinutes(2), scheduler.States()[0].NextRun);

        scheduler.Tick();
        clock.Advance(TimeSpan.FromSeconds(119));
        scheduler.Tick();
        Assert.AreEqual(0, runs.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        scheduler.Tick();
        await runs.Started(1);
        Assert.AreEqual(Start.AddMinutes(2).ToUnixTimeSeconds(), runs.StartedTime(0));
        Assert.IsTrue(scheduler.States()[0].Running);
        Assert.AreEqual(Start.AddMinutes(2).AddDays(1), scheduler.States()[0].NextRun);

        runs.Finish(0, true);
        await Finished(scheduler, "nightly");
        JobState state = scheduler.States()[0];
        Assert.IsFalse(state.Running);
        Assert.IsTrue(state.LastResult!.Succeeded);
        Assert.AreEqual("written", state.LastResult.Message);
        Assert.IsTrue(log.Lines.Any(l => l.StartsWith("Information job nightly: started, target image /backup/n.iso", StringComparison.Ordinal)), string.Join("\n", log.Lines));
        Assert.IsTrue(log.Lines.Any(l => l.Contains("job nightly: done in 1.5 s, session 2048 bytes", StringComparison.Ordinal)), string.Join("\n", log.Lines));

        // A restarted agent knows the last result.
        await using var restarted = new JobScheduler([Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, runs.Run, log);
        Assert.AreEqual("written", restarted.States()[0].LastResult!.Message);
    }

    [TestMethod]
    public async Task A_run_still_going_when_the_next_is_due_makes_that_one_skipped_with_a_log_line()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var runs = new Runs();
        var log = new ListLogger();
        await using var scheduler = new JobScheduler([Job(dir, "*/5 * * * *")], clock, TimeZoneInfo.Utc, runs.Run, log);
        clock.Advance(TimeSpan.FromMinutes(2));
        scheduler.Tick();
        await runs.Started(1);

        clock.Advance(TimeSpan.FromMinutes(5));
        scheduler.Tick();
        Assert.AreEqual(1, runs.Count);
        Assert.IsTrue(log.Lines.Any(l => l.StartsWith("Warning job nightly: run due at 2026-01-01 03:05 +00:00 skipped, the run started at 2026-01-01 03:00 +00:00 is still going", StringComparison.Ordinal)), string.Join("\n", log.Lines));
        Assert.IsFalse(scheduler.TryRunNow("nightly", out string reason));
        Assert.Contains("already running", reason);

        runs.Finish(0, false);
        await Finished(scheduler, "nightly");
        Assert.IsFalse(scheduler.States()[0].LastResult!.Succeeded);
        Assert.IsTrue(log.Lines.Any(l => l.StartsWith("Error job nightly: FAILED after 1.5 s", StringComparison.Ordinal)));

        clock.Advance(TimeSpan.FromMinutes(5));
        scheduler.Tick();
        await runs.Started(2);
        Assert.AreEqual(Start.AddMinutes(12).ToUnixTimeSeconds(), runs.StartedTime(1));
        runs.Finish(1, true);
    }

    [TestMethod]
    public async Task Runs_missed_while_the_agent_was_down_or_asleep_are_not_replayed()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var runs = new Runs();
        await using var scheduler = new JobScheduler([Job(dir, "@hourly")], clock, TimeZoneInfo.Utc, runs.Run, new ListLogger());

        // The host sleeps through ten hourly runs: one run on waking, then the schedule goes on from now.
        clock.Advance(TimeSpan.FromHours(10));
        scheduler.Tick();
        await runs.Started(1);
        Assert.AreEqual(new DateTimeOffset(2026, 1, 1, 13, 0, 0, TimeSpan.Zero), scheduler.States()[0].NextRun);
        runs.Finish(0, true);
        await Finished(scheduler, "nightly");
        scheduler.Tick();
        Assert.IsNull(scheduler.Running("nightly"));
        Assert.AreEqual(1, runs.Count);

        // An agent started after its job's time waits for the next time.
        await using var started = new JobScheduler([Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, runs.Run, new ListLogger());
        started.Tick();
        Assert.IsNull(started.Running("nightly"));
        Assert.AreEqual(1, runs.Count);
        Assert.AreEqual(new DateTimeOffset(2026, 1, 2, 3, 0, 0, TimeSpan.Zero), started.States()[0].NextRun);
    }

    [TestMethod]
    public async Task Run_now_starts_a_job_at_once_and_names_the_jobs_when_it_does_not_know_one()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var runs = new Runs();
        await using var scheduler = new JobScheduler([Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, runs.Run, new ListLogger());
        Assert.IsFalse(scheduler.TryRunNow("weekly", out string reason));
        Assert.AreEqual("no job 'weekly'; configured: nightly", reason);
        Assert.IsTrue(scheduler.TryRunNow("nightly", out reason));
        await runs.Started(1);
        Assert.AreEqual(Start.ToUnixTimeSeconds(), runs.StartedTime(0));
        runs.Finish(0, true);
        await Finished(scheduler, "nightly");
        Assert.IsTrue(scheduler.States()[0].LastResult!.Succeeded);
    }

    [TestMethod]
    public async Task A_job_body_that_throws_is_a_failed_result_not_a_dead_scheduler()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        await using var scheduler = new JobScheduler(
            [Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, (_, _, _) => throw new InvalidOperationException("broken invariant: 42"), new ListLogger());
        Assert.IsTrue(scheduler.TryRunNow("nightly", out _));
        await Finished(scheduler, "nightly");
        JobResult last = scheduler.States()[0].LastResult!;
        Assert.IsFalse(last.Succeeded);
        Assert.AreEqual("InvalidOperationException: broken invariant: 42", last.Message);
    }

    [TestMethod]
    public async Task The_loop_sleeps_until_the_next_time_and_starts_the_job_then()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var runs = new Runs();
        await using var scheduler = new JobScheduler([Job(dir, "0 3 * * *")], clock, TimeZoneInfo.Utc, runs.Run, new ListLogger());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task loop = scheduler.RunAsync(stop.Token);
        for (int i = 0; i < 500 && runs.Count == 0; i++)
        {
            if (clock.PendingDelays > 0)
            {
                clock.Advance(TimeSpan.FromSeconds(30));
            }

            await Task.Delay(10);
        }

        Assert.AreEqual(1, runs.Count);
        Assert.AreEqual(Start.AddMinutes(2).ToUnixTimeSeconds(), runs.StartedTime(0));
        runs.Finish(0, true);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
