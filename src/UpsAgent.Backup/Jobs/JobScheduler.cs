using System.Globalization;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Timing;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// Runs each job at its schedule's times inside the agent, as cron does, with three differences a backup
/// wants: a job never runs twice at once (a run still going when the next is due is skipped, with a log
/// line); runs missed while the agent was down are not replayed (the first run is the schedule's next time
/// after start); and the last result of each job is kept (and saved for "job status").
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    // Wall time is looked at again at least this often, so a changed system clock is noticed.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly TimeZoneInfo _zone;
    private readonly Func<BackupJob, long, CancellationToken, Task<JobResult>> _run;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly List<BackupJob> _order;

    public JobScheduler(IReadOnlyList<BackupJob> jobs, IClock clock, TimeZoneInfo zone, Func<BackupJob, long, CancellationToken, Task<JobResult>> run, ILogger logger)
    {
        _clock = clock;
        _zone = zone;
        _run = run;
        _logger = logger;
        _order = [.. jobs];
        DateTimeOffset now = clock.UtcNow;
        foreach (BackupJob job in jobs)
        {
            _jobs.Add(job.Name, new Entry(job) { Next = job.Schedule.Next(now, zone), Last = new JobResultStore(job.StateDirectory).Load(job.Name) });
        }
    }

    public IReadOnlyList<JobState> States()
    {
        lock (_gate)
        {
            return _order.Select(j => _jobs[j.Name]).Select(e => new JobState(e.Job, e.Next, e.Running is not null, e.Last)).ToList();
        }
    }

    /// <summary>Starts every job that is due; a due job whose last run is still going is skipped. Called by <see cref="RunAsync"/>.</summary>
    public void Tick()
    {
        DateTimeOffset now = _clock.UtcNow;
        lock (_gate)
        {
            foreach (BackupJob job in _order)
            {
                Entry e = _jobs[job.Name];
                if (e.Next > now)
                {
                    continue;
                }

                DateTimeOffset due = e.Next;

                // From now, not from the due time: a run missed while the host slept is not made up for.
                e.Next = job.Schedule.Next(now, _zone);
                if (e.Running is not null)
                {
                    _logger.LogWarning(
                        "job {Job}: run due at {Due} skipped, the run started at {Started} is still going; next run {Next}",
                        job.Name, Local(due), Local(e.RunningSince), Local(e.Next));
                    continue;
                }

                Start(e, now);
            }
        }
    }

    /// <summary>Starts a job now ("job run NAME"); false with the reason when it is unknown or already running.</summary>
    public bool TryRunNow(string name, out string reason)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(name, out Entry? e))
            {
                reason = $"no job '{name}'; configured: {(_order.Count == 0 ? "none" : string.Join(", ", _order.Select(j => j.Name)))}";
                return false;
            }

            if (e.Running is not null)
            {
                reason = $"job {name} is already running (started {Local(e.RunningSince)})";
                return false;
            }

            Start(e, _clock.UtcNow);
            reason = $"job {name} started";
            return true;
        }
    }

    /// <summary>The run in progress for a job, or null; for tests and for waiting on "job run".</summary>
    public Task<JobResult>? Running(string name)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(name, out Entry? e) ? e.Running : null;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        while (!linked.IsCancellationRequested)
        {
            Tick();
            DateTimeOffset next;
            lock (_gate)
            {
                next = _jobs.Count == 0 ? DateTimeOffset.MaxValue : _jobs.Values.Min(e => e.Next);
            }

            TimeSpan wait = next == DateTimeOffset.MaxValue ? LongestSleep : next - _clock.UtcNow;
            wait = wait > LongestSleep ? LongestSleep : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            try
            {
                await _clock.DelayAsync(wait, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Start(Entry e, DateTimeOffset now)
    {
        e.RunningSince = now;
        _logger.LogInformation("job {Job}: started, target {Target}", e.Job.Name, e.Job.TargetText);
        e.Running = RunOne(e, now);
    }

    private async Task<JobResult> RunOne(Entry e, DateTimeOffset now)
    {
        await Task.Yield();
        JobResult result;
        try
        {
            result = await _run(e.Job, now.ToUnixTimeSeconds(), _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug in a run must not stop the scheduler; it is that run's result.
            result = new JobResult(e.Job.Name, false, now.ToUnixTimeSeconds(), (_clock.UtcNow - now).TotalSeconds, $"{ex.GetType().Name}: {ex.Message}");
        }

        string sizes = string.Create(CultureInfo.InvariantCulture, $"session {result.SessionBytes} bytes, new data {result.NewBytes} bytes, dumps {result.DumpBytes} bytes");
        if (result.Succeeded)
        {
            _logger.LogInformation("job {Job}: done in {Seconds:0.0} s, {Sizes}: {Message}", e.Job.Name, result.DurationSeconds, sizes, result.Message);
        }
        else
        {
            _logger.LogError("job {Job}: FAILED after {Seconds:0.0} s, {Sizes}: {Message}", e.Job.Name, result.DurationSeconds, sizes, result.Message);
        }

        try
        {
            new JobResultStore(e.Job.StateDirectory).Save(result);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("job {Job}: cannot save the result: {Error}", e.Job.Name, ex.Message);
        }

        lock (_gate)
        {
            e.Last = result;
            e.Running = null;
        }

        return result;
    }

    private string Local(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, _zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = _jobs.Values.Select(e => e.Running).OfType<Task>().ToArray();
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class Entry(BackupJob job)
    {
        public BackupJob Job { get; } = job;

        public DateTimeOffset Next { get; set; }

        public DateTimeOffset RunningSince { get; set; }

        public Task<JobResult>? Running { get; set; }

        public JobResult? Last { get; set; }
    }
}
