using Microsoft.Extensions.Logging;
using UpsAgent.Configuration;
using UpsAgent.Shutdown.Execution;

namespace UpsAgent.Hosting;

/// <summary>
/// The arrays of the running agent: assembled from [array NAME] sections at start, quiesced by md's
/// safe-mode rule while idle and by a shutdown hook before a power-loss shutdown, closed clean at stop.
/// </summary>
public sealed class RaidService : IAsyncDisposable
{
    /// <summary>How often idle arrays are checked for quiescing (md's safe_mode_delay is 200 ms; 1 s is enough here).</summary>
    public static readonly TimeSpan IdleCheckPeriod = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _idleLoop = Task.CompletedTask;
    private bool _disposed;

    public RaidService(IReadOnlyList<ArrayConfig> configs, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        Arrays = [.. configs.Select(c => new ManagedArray(c))];
    }

    public IReadOnlyList<ManagedArray> Arrays { get; }

    public ILogger Logger => _logger;

    public ManagedArray? Find(string name) =>
        Arrays.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Assembles every configured array and starts the resyncs and recoveries md would start.</summary>
    public void Start()
    {
        foreach (ManagedArray a in Arrays)
        {
            a.Assemble(_time, _logger);
            a.StartPendingWork(_logger);
        }

        if (Arrays.Count > 0)
        {
            _idleLoop = IdleLoopAsync(_stop.Token);
        }
    }

    /// <summary>
    /// The shutdown hook's work: stop passes at their next unit (a recovery keeps its checkpoint),
    /// flush, clear the bitmaps and mark every array clean, so the next boot needs no resync.
    /// </summary>
    public async Task QuiesceAllAsync(CancellationToken cancellationToken)
    {
        foreach (ManagedArray a in Arrays)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await a.StopPassAsync().ConfigureAwait(false);
            if (a.Array is { } array && !array.IsFailed)
            {
                array.Quiesce();
                _logger.LogInformation("array {Array}: quiesced ({State})", a.Name, array.IsDirty ? "resync still owed" : "clean");
            }
        }
    }

    public ShutdownHook CreateShutdownHook() =>
        new("raid: quiesce arrays", TimeSpan.FromSeconds(30), QuiesceAllAsync);

    private async Task IdleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(IdleCheckPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (ManagedArray a in Arrays)
                {
                    try
                    {
                        if (!a.PassRunning && a.Array?.QuiesceIfIdle() == true)
                        {
                            _logger.LogDebug("array {Array}: idle, marked clean", a.Name);
                        }
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
                    {
                        _logger.LogWarning("array {Array}: quiescing failed: {Error}", a.Name, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _idleLoop.ConfigureAwait(false);
        foreach (ManagedArray a in Arrays)
        {
            await a.StopPassAsync().ConfigureAwait(false);
            a.Close();
        }

        _stop.Dispose();
    }
}
