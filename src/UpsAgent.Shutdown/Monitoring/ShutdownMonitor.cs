using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Timing;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Monitoring;

/// <summary>
/// upsmon's loop: watch every supply, turn changes into notifications, evaluate the policy (at
/// once on every change and at least once per tick, for timers), and hand the one decision to the
/// executor. Exposes its state for "status".
/// </summary>
public sealed class ShutdownMonitor : IAsyncDisposable
{
    private readonly ShutdownSettings _settings;
    private readonly IReadOnlyList<ISupplySource> _sources;
    private readonly Notifier _notifier;
    private readonly Func<ShutdownDecision, IReadOnlyList<ShutdownHook>, ShutdownExecutor> _executorFactory;
    private readonly IReadOnlyList<ShutdownHook> _hooks;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan _tick;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Dictionary<string, DetectorMemory> _detectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _sourcesStop = new();
    private readonly List<Task> _sourceTasks = [];
    private PolicyState _state = PolicyState.Initial;
    private ImmutableArray<SupplyVerdict> _verdicts = [];
    private readonly TaskCompletionSource _executed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ShutdownMonitor(
        ShutdownSettings settings,
        IReadOnlyList<ISupplySource> sources,
        Notifier notifier,
        IReadOnlyList<ShutdownHook> hooks,
        Func<ShutdownDecision, IReadOnlyList<ShutdownHook>, ShutdownExecutor> executorFactory,
        IClock clock,
        ILogger logger,
        TimeSpan? tick = null)
    {
        _settings = settings;
        _sources = sources;
        _notifier = notifier;
        _hooks = hooks;
        _executorFactory = executorFactory;
        _clock = clock;
        _logger = logger;
        _tick = tick ?? TimeSpan.FromSeconds(1);
        foreach (ISupplySource source in sources)
        {
            source.Changed += () => _wake.Release();
        }
    }

    public ShutdownDecision? Decision => _state.Decision;

    public ImmutableArray<SupplyVerdict> Verdicts => _verdicts;

    public IReadOnlyList<ISupplySource> Sources => _sources;

    /// <summary>The executor's steps, as they happen.</summary>
    public event Action<TimeSpan, string>? Step;

    /// <summary>Completes when the decision has been carried out (never, while the power holds).</summary>
    public Task Execution => _executed.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (ISupplySource source in _sources)
        {
            _sourceTasks.Add(RunSourceAsync(source, _sourcesStop.Token));
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Evaluate(cancellationToken);
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task tick = _clock.DelayAsync(_tick, either.Token);
                Task woken = _wake.WaitAsync(either.Token);
                await Task.WhenAny(tick, woken).ConfigureAwait(false);
                await either.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(tick, woken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await StopSourcesAsync().ConfigureAwait(false);
    }

    /// <summary>One pass: notifications, policy, and the decision if it falls now.</summary>
    public void Evaluate(CancellationToken cancellationToken)
    {
        TimeSpan now = _clock.Elapsed;
        var readings = new List<SupplyReading>(_sources.Count);
        foreach (ISupplySource source in _sources)
        {
            SupplyReading reading = source.Read(now);
            readings.Add(reading);
            DetectorMemory memory = _detectors.GetValueOrDefault(source.Name) ?? DetectorMemory.Initial;
            (DetectorMemory next, List<NotifyType> events) = NotifyEventDetector.Detect(
                memory, new SupplyObservation(source.Reachable, reading.Status), now, TimeSpan.FromHours(12), TimeSpan.FromMinutes(5));
            _detectors[source.Name] = next;
            foreach (NotifyType type in events)
            {
                _notifier.Notify(new NotifyEvent(type, source.Name, _clock.UtcNow), cancellationToken);
            }
        }

        PolicyOutcome outcome = ShutdownPolicy.Evaluate(_settings, _state, readings, now);
        _state = outcome.State;
        _verdicts = outcome.Verdicts;
        if (outcome.NewDecision is { } decision)
        {
            var hooks = new List<ShutdownHook>
            {
                // Leave the NUT servers first, so a primary elsewhere sees this host go (NUMLOGINS).
                new("leave NUT servers", TimeSpan.FromSeconds(5), _ => StopSourcesAsync()),
            };
            hooks.AddRange(_hooks);
            ShutdownExecutor executor = _executorFactory(decision, hooks);
            executor.Step += (at, text) => Step?.Invoke(at, text);
            _ = Task.Run(
                async () =>
                {
                    try
                    {
                        await executor.ExecuteAsync(decision, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        _logger.LogError(e, "carrying out the shutdown failed");
                    }
                    finally
                    {
                        _executed.TrySetResult();
                    }
                },
                CancellationToken.None);
        }
    }

    private async Task RunSourceAsync(ISupplySource source, CancellationToken cancellationToken)
    {
        try
        {
            await source.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "monitoring of {Ups} failed", source.Name);
        }
    }

    private async Task StopSourcesAsync()
    {
        if (!_sourcesStop.IsCancellationRequested)
        {
            await _sourcesStop.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_sourceTasks).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopSourcesAsync().ConfigureAwait(false);
        foreach (ISupplySource source in _sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }

        _sourcesStop.Dispose();
        _wake.Dispose();
    }
}
