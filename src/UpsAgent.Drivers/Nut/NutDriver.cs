using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Drivers.Nut;

/// <summary>
/// Repeats a UPS served by another NUT server (upsd or another UpsAgent), as NUT's dummy-ups does in
/// repeater mode: every poll interval it lists the UPS's variables and publishes what changed, with the
/// writable variables' types, enumerations and ranges and the instant commands learned from the other
/// server. SET VAR and INSTCMD are forwarded with the configured user and, where the other server
/// tracks them, their real outcome is awaited. When the other server's data is stale, its driver is
/// gone or the server cannot be reached, this UPS's data is stale too until the next good poll.
/// </summary>
public sealed class NutDriver : IUpsDriver, IAsyncDisposable
{
    public const string DriverName = "nut";

    /// <summary>Types, enumerations and commands are read again this often, besides whenever a new variable appears.</summary>
    private const int RefreshStructureEveryPolls = 30;

    private static readonly TimeSpan TrackingPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly UpsStateWriter _writer;
    private readonly PublishedValues _values;
    private readonly NutDriverOptions _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly Dictionary<string, UpsVariable> _shapes = new(StringComparer.OrdinalIgnoreCase);
    private ImmutableArray<string> _commands = [];
    private NutClient? _commandClient;
    private bool _commandTracking;
    private int _polls;
    private int _started;

    public NutDriver(UpsStateWriter writer, NutDriverOptions options, IClock clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.PollInterval <= TimeSpan.Zero || options.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The poll interval and the timeout must be positive.");
        }

        _writer = writer;
        _values = new PublishedValues(writer);
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A NutDriver runs once; create a new one to run again.");
        }

        NutClient? client = null;
        try
        {
            _logger.LogInformation("NUT UPS {Target}: polling every {Interval} s", _options.Target, _options.PollInterval.TotalSeconds);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    client ??= await NutClient.ConnectAsync(_options.Host, _options.Port, _options.Timeout, _options.Tls, cancellationToken).ConfigureAwait(false);
                    await PollAsync(client, cancellationToken).ConfigureAwait(false);
                }
                catch (NutClientException e) when (!cancellationToken.IsCancellationRequested)
                {
                    // The server answered with an error: the connection is still good. Anything else
                    // (refused, closed, silent, garbled) gets a new connection next time.
                    if (e.Error is null && client is not null)
                    {
                        await client.DisposeAsync().ConfigureAwait(false);
                        client = null;
                    }

                    NoData(e);
                }

                await _clock.DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            await DisposeAsync().ConfigureAwait(false);
            _writer.MarkDisconnected();
            _logger.LogInformation("NUT UPS {Target}: stopped", _options.Target);
        }
    }

    private async Task PollAsync(NutClient client, CancellationToken cancellationToken)
    {
        Dictionary<string, string> values = await client.ListVariablesAsync(_options.Ups, cancellationToken).ConfigureAwait(false);
        bool newNames = values.Keys.Any(k => !_shapes.ContainsKey(k));
        if (newNames || _polls++ % RefreshStructureEveryPolls == 0)
        {
            await ReadStructureAsync(client, values, cancellationToken).ConfigureAwait(false);
        }

        Publish(values);
    }

    /// <summary>GET TYPE for each variable, LIST ENUM / LIST RANGE where the type says so, and LIST CMD.</summary>
    private async Task ReadStructureAsync(NutClient client, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        _shapes.Clear();
        foreach (string name in values.Keys)
        {
            List<string> type = await client.RequestAsync($"GET TYPE {_options.Ups} {name}", cancellationToken).ConfigureAwait(false);
            var shape = new UpsVariable(name, string.Empty);
            bool isEnum = false;
            bool isRange = false;
            for (int i = 3; i < type.Count; i++)
            {
                string flag = type[i];
                if (flag == "RW")
                {
                    shape = shape with { Flags = shape.Flags | VariableFlags.ReadWrite };
                }
                else if (flag == "NUMBER")
                {
                    shape = shape with { Flags = shape.Flags | VariableFlags.Number };
                }
                else if (flag == "ENUM")
                {
                    isEnum = true;
                }
                else if (flag == "RANGE")
                {
                    isRange = true;
                }
                else if (flag.StartsWith("STRING:", StringComparison.Ordinal)
                    && int.TryParse(flag.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int length))
                {
                    shape = shape with { Flags = shape.Flags | VariableFlags.String, MaxLength = length };
                }
            }

            if (isEnum)
            {
                List<List<string>> items = await client.ListAsync($"LIST ENUM {_options.Ups} {name}", cancellationToken).ConfigureAwait(false);
                shape = shape with { EnumValues = [.. items.Where(w => w.Count >= 4 && w[0] == "ENUM").Select(w => w[3])] };
            }

            if (isRange)
            {
                List<List<string>> items = await client.ListAsync($"LIST RANGE {_options.Ups} {name}", cancellationToken).ConfigureAwait(false);
                var ranges = ImmutableArray.CreateBuilder<ValueRange>();
                foreach (List<string> w in items)
                {
                    if (w.Count >= 5 && w[0] == "RANGE"
                        && int.TryParse(w[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out int low)
                        && int.TryParse(w[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int high))
                    {
                        ranges.Add(new ValueRange(low, high));
                    }
                }

                shape = shape with { Ranges = ranges.ToImmutable() };
            }

            _shapes[name] = shape;
        }

        List<List<string>> commands = await client.ListAsync($"LIST CMD {_options.Ups}", cancellationToken).ConfigureAwait(false);
        ImmutableArray<string> next = [.. commands.Where(w => w.Count >= 3 && w[0] == "CMD").Select(w => w[2])];
        if (_values.EverPublished && !next.SequenceEqual(_commands))
        {
            _writer.SetCommands(next);
        }

        _commands = next;
        _values.Forget(); // republish every definition with its new shape
    }

    private void Publish(Dictionary<string, string> upstream)
    {
        var next = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in upstream)
        {
            // The other side's driver.* describe its driver; this UPS's driver is this one.
            if (!name.StartsWith("driver.", StringComparison.OrdinalIgnoreCase))
            {
                next[name] = value;
            }
        }

        next[NutNames.DriverName] = DriverName;
        next[NutNames.DriverVersion] = DriverVersion;
        next["driver.parameter.port"] = _options.Target;
        next["driver.parameter.pollinterval"] = _options.PollInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        if (_values.Publish(next, _commands, (name, value) => _shapes.TryGetValue(name, out UpsVariable? shape) ? shape with { Value = value } : new UpsVariable(name, value)))
        {
            _logger.LogInformation("NUT UPS {Target}: data fresh again", _options.Target);
        }
    }

    private void NoData(NutClientException e)
    {
        if (_values.Fail())
        {
            string why = e.Error switch
            {
                "DATA-STALE" => "the other server's data is stale",
                "DRIVER-NOT-CONNECTED" => "the other server's driver is not connected",
                "UNKNOWN-UPS" => $"the other server has no UPS named '{_options.Ups}'",
                "ACCESS-DENIED" => "the other server refuses this host (check its LISTEN and firewall)",
                _ => e.Message,
            };
            _logger.LogWarning("NUT UPS {Target}: {Problem}; {Consequence}", _options.Target, why,
                _values.EverPublished ? "data stale until it answers again" : "no data yet, trying again");
        }
    }

    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ForwardAsync($"SET VAR {_options.Ups} {name} {Quote(value)}", $"SET VAR {name}", cancellationToken);

    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
        ForwardAsync(parameter is null ? $"INSTCMD {_options.Ups} {name}" : $"INSTCMD {_options.Ups} {name} {Quote(parameter)}", $"INSTCMD {name}", cancellationToken);

    /// <summary>
    /// Sends one SET VAR or INSTCMD over the logged-in command connection. With tracking (NUT 2.8.0
    /// upsd and UpsAgent) the other driver's own result is awaited; without it, OK counts as success.
    /// </summary>
    private async ValueTask<CommandOutcome> ForwardAsync(string request, string what, CancellationToken cancellationToken)
    {
        if (_options.Username is null || _options.Password is null)
        {
            _logger.LogWarning("NUT UPS {Target}: cannot forward {What}: no username and password for the other server are configured", _options.Target, what);
            return CommandOutcome.Failed;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.CommandTimeout);
        await _commandLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NutClient client = _commandClient ??= await ConnectForCommandsAsync(limit.Token).ConfigureAwait(false);
            List<string> reply = await client.RequestAsync(request, limit.Token).ConfigureAwait(false);
            if (reply.Count >= 3 && reply[0] == "OK" && reply[1] == "TRACKING")
            {
                return await AwaitTrackingAsync(client, reply[2], what, limit.Token).ConfigureAwait(false);
            }

            return reply.Count >= 1 && reply[0] == "OK" ? CommandOutcome.Success : CommandOutcome.Failed;
        }
        catch (NutClientException e) when (e.Error is not null)
        {
            CommandOutcome outcome = Outcome(e.Error);
            _logger.LogWarning("NUT UPS {Target}: {What} refused by the other server: ERR {Error}", _options.Target, what, e.Error);
            return outcome;
        }
        catch (Exception e) when (e is NutClientException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.LogWarning("NUT UPS {Target}: {What} not forwarded: {Problem}", _options.Target, what,
                e is OperationCanceledException ? $"no result within {_options.CommandTimeout.TotalSeconds:0} s" : e.Message);
            await DropCommandClientAsync().ConfigureAwait(false);
            return CommandOutcome.Failed;
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private async Task<NutClient> ConnectForCommandsAsync(CancellationToken cancellationToken)
    {
        NutClient client = await NutClient.ConnectAsync(_options.Host, _options.Port, _options.Timeout, _options.Tls, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.ExpectOkAsync($"USERNAME {Quote(_options.Username!)}", cancellationToken).ConfigureAwait(false);
            await client.ExpectOkAsync($"PASSWORD {Quote(_options.Password!)}", cancellationToken).ConfigureAwait(false);
            try
            {
                await client.ExpectOkAsync("SET TRACKING ON", cancellationToken).ConfigureAwait(false);
                _commandTracking = true;
            }
            catch (NutClientException e) when (e.Error is not null)
            {
                _commandTracking = false; // servers before 2.8.0 answer OK to a command without tracking it
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<CommandOutcome> AwaitTrackingAsync(NutClient client, string id, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                List<string> state = await client.RequestAsync($"GET TRACKING {id}", cancellationToken).ConfigureAwait(false);
                if (state.Count >= 1 && state[0] == "SUCCESS")
                {
                    return CommandOutcome.Success;
                }

                if (state.Count == 0 || state[0] != "PENDING")
                {
                    return CommandOutcome.Failed;
                }
            }
            catch (NutClientException e) when (e.Error is not null)
            {
                _logger.LogWarning("NUT UPS {Target}: the other server's driver answered {What} with {Error}", _options.Target, what, e.Error);
                return Outcome(e.Error);
            }

            await _clock.DelayAsync(TrackingPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static CommandOutcome Outcome(string error) => error switch
    {
        "INVALID-ARGUMENT" or "INVALID-VALUE" or "TOO-LONG" => CommandOutcome.InvalidArgument,
        "UNKNOWN" or "VAR-NOT-SUPPORTED" or "CMD-NOT-SUPPORTED" or "READONLY" or "UNKNOWN-UPS" or "INVALID-COMMAND" => CommandOutcome.Unknown,
        _ => CommandOutcome.Failed,
    };

    private async Task DropCommandClientAsync()
    {
        if (_commandClient is not null)
        {
            await _commandClient.DisposeAsync().ConfigureAwait(false);
            _commandClient = null;
        }
    }

    /// <summary>Whether the command connection asked the other server to track commands (for tests and status).</summary>
    public bool CommandsTracked => _commandTracking;

    public async ValueTask DisposeAsync()
    {
        await _commandLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropCommandClientAsync().ConfigureAwait(false);
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private static string Quote(string value) => "\"" + NutQuoting.Escape(value) + "\"";

    private static string DriverVersion { get; } =
        typeof(NutDriver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";
}
