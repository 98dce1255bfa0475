using System.Globalization;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Nut;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Policy;

namespace UpsAgent.Shutdown.Monitoring;

/// <summary>
/// A UPS on a NUT server, watched as upsmon does: log in (counting in NUMLOGINS), claim PRIMARY
/// when we are its primary, poll ups.status (and charge/runtime) on one persistent connection,
/// reconnect after failures, and send FSD on that same connection.
/// </summary>
public sealed class RemoteSupply : ISupplySource, IFsdChannel
{
    private readonly RemoteSupplySettings _remote;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectionGate = new(1, 1);
    private NutClient? _client;
    private volatile SupplyReading? _last;
    private volatile bool _reachable;
    private TimeSpan? _lastHeard;
    private string? _lastError;

    public RemoteSupply(RemoteSupplySettings remote, SupplySettings settings, IClock clock, ILogger logger)
    {
        _remote = remote;
        Settings = settings;
        _clock = clock;
        _logger = logger;
    }

    public string Name => _remote.MonitorName;

    public SupplySettings Settings { get; }

    public bool Reachable => _reachable;

    public event Action? Changed;

    public IFsdChannel FsdChannel => this;

    string IFsdChannel.Ups => Settings.Name;

    /// <summary>Why the last poll failed, for status output.</summary>
    public string? LastError => _lastError;

    public SupplyReading Read(TimeSpan now) =>
        _last is { } last
            ? last with { LastHeard = _lastHeard }
            : new SupplyReading(Settings.Name, UpsStatus.None, null, null, null);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            TimeSpan wait = _last?.OnBattery == true ? _remote.AlertPollInterval : _remote.PollInterval;
            try
            {
                await _clock.DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await DropConnectionAsync().ConfigureAwait(false);
    }

    /// <summary>One poll; public so tests and "shutdown simulate" can step it.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await _connectionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NutClient client = _client ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            string status = await client.GetVariableAsync(_remote.Ups, "ups.status", cancellationToken).ConfigureAwait(false);
            double? charge = await TryNumberAsync(client, "battery.charge", cancellationToken).ConfigureAwait(false);
            double? runtime = await TryNumberAsync(client, "battery.runtime", cancellationToken).ConfigureAwait(false);
            _lastHeard = _clock.Elapsed;
            _last = new SupplyReading(Settings.Name, UpsStatusTokens.Parse(status), charge, runtime, _lastHeard);
            _reachable = true;
            _lastError = null;
        }
        catch (NutClientException e)
        {
            if (_reachable || _lastError is null)
            {
                _logger.LogWarning("{Ups}: {Message}", Name, e.Message);
            }

            _lastError = e.Message;
            _reachable = false;
            await DropConnectionCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _connectionGate.Release();
        }

        Changed?.Invoke();
    }

    private async Task<NutClient> ConnectAsync(CancellationToken cancellationToken)
    {
        NutClient client = await NutClient.ConnectAsync(_remote.Host, _remote.Port, _remote.RequestTimeout, _remote.Tls, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.LoginAsync(_remote.User, _remote.Password, _remote.Ups, cancellationToken).ConfigureAwait(false);
            if (Settings.Role == MonitorRole.Primary)
            {
                await client.ClaimPrimaryAsync(_remote.Ups, cancellationToken).ConfigureAwait(false);
            }

            _logger.LogInformation("{Ups}: logged in as {Role}{Tls}", Name, Settings.Role.ToString().ToLowerInvariant(), client.IsTls ? " over TLS" : string.Empty);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<double?> TryNumberAsync(NutClient client, string variable, string ups, CancellationToken cancellationToken)
    {
        try
        {
            string value = await client.GetVariableAsync(ups, variable, cancellationToken).ConfigureAwait(false);
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : null;
        }
        catch (NutClientException e) when (e.Error is not null)
        {
            return null; // the UPS does not report it
        }
    }

    private Task<double?> TryNumberAsync(NutClient client, string variable, CancellationToken cancellationToken) =>
        TryNumberAsync(client, variable, _remote.Ups, cancellationToken);

    public async Task<bool> SetForcedShutdownAsync(CancellationToken cancellationToken)
    {
        await _connectionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NutClient client = _client ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await client.ExpectOkAsync($"FSD {_remote.Ups}", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NutClientException e)
        {
            _logger.LogError("{Ups}: FSD failed: {Message}", Name, e.Message);
            return false;
        }
        finally
        {
            _connectionGate.Release();
        }
    }

    public async Task<int?> CountSecondariesAsync(CancellationToken cancellationToken)
    {
        await _connectionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NutClient client = _client ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            int logins = await client.GetLoginCountAsync(_remote.Ups, cancellationToken).ConfigureAwait(false);
            return Math.Max(0, logins - 1); // ourselves
        }
        catch (NutClientException)
        {
            return null;
        }
        finally
        {
            _connectionGate.Release();
        }
    }

    /// <summary>Leaves the server as upsmon does when its host goes down: the connection just closes.</summary>
    public async Task DropConnectionAsync()
    {
        await _connectionGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropConnectionCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _connectionGate.Release();
        }
    }

    private async Task DropConnectionCoreAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
            _client = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync().ConfigureAwait(false);
        _connectionGate.Dispose();
    }
}
