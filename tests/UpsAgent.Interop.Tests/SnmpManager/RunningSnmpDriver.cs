using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Snmp;

namespace UpsAgent.Interop.Tests.SnmpManager;

/// <summary>The manager driver running in this process on the real clock against a real agent on loopback.</summary>
public sealed class RunningSnmpDriver : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly UpsStateStore _store;

    public RunningSnmpDriver(SnmpDriverOptions options)
    {
        var clock = new SystemClock();
        _store = new UpsStateStore("card", "SNMP card", clock);
        Driver = new SnmpDriver(_store.CreateWriter(), options, clock, NullLogger.Instance);
        _run = Driver.RunAsync(_stop.Token);
    }

    public SnmpDriver Driver { get; }

    public UpsState State => _store.Current;

    public string? Value(string name) => State.GetValue(name);

    /// <summary>Waits for the data state (and, if given, a condition on the snapshot); returns whether it came.</summary>
    public async Task<bool> WaitForAsync(UpsDataState state, Func<UpsState, bool>? also = null, double seconds = 20)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline && !_run.IsCompleted)
        {
            UpsState current = State;
            if (current.DataState == state && (also is null || also(current)))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public string Describe() =>
        $"{State.DataState}: {string.Join(", ", State.Variables.Select(v => $"{v.Name}={v.Value}"))}" + (_run.IsFaulted ? $"\n{_run.Exception}" : string.Empty);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
