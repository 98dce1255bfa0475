using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Snmp;

/// <summary>
/// Reads a UPS network card over SNMP into the state model, as NUT's snmp-ups does: pick the MIB
/// (sysObjectID, else probing), then every poll interval GET every object of its table (a few per
/// datagram, not one each) and publish what changed. When the card stops answering the data turns
/// stale; the first good poll afterwards makes it fresh again. Offers no instant commands or writes.
/// </summary>
public sealed class SnmpDriver : IUpsDriver
{
    public const string DriverName = "snmp";

    /// <summary>Objects a card lacked are skipped in later polls and asked for again this often.</summary>
    private const int ReprobeEveryPolls = 20;

    private readonly UpsStateWriter _writer;
    private readonly PublishedValues _values;
    private readonly SnmpDriverOptions _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, ValueTask<ISnmpTransport>> _connect;
    private readonly Func<ISnmpMessageModel> _messageModel;
    private readonly HashSet<ObjectIdentifier> _absent = [];
    private SnmpUpsMapping? _mapping;
    private int _polls;
    private int _started;

    public SnmpDriver(UpsStateWriter writer, SnmpDriverOptions options, IClock clock, ILogger logger)
        : this(writer, options, clock, logger, ct => ConnectUdpAsync(options, ct), () => CreateMessageModel(options))
    {
    }

    /// <summary>With another transport (tests use an in-memory card) and message model.</summary>
    public SnmpDriver(
        UpsStateWriter writer,
        SnmpDriverOptions options,
        IClock clock,
        ILogger logger,
        Func<CancellationToken, ValueTask<ISnmpTransport>> connect,
        Func<ISnmpMessageModel> messageModel)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(messageModel);
        if (options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PollInterval, "The poll interval must be positive.");
        }

        _writer = writer;
        _values = new PublishedValues(writer);
        _options = options;
        _clock = clock;
        _logger = logger;
        _connect = connect;
        _messageModel = messageModel;
    }

    /// <summary>The MIB in use once detected; null before.</summary>
    public SnmpUpsMapping? Mapping => _mapping;

    public static ISnmpMessageModel CreateMessageModel(SnmpDriverOptions options) =>
        options.Version == SnmpVersion.V3
            ? new UsmMessageModel(options.V3 ?? throw new ArgumentException("SNMPv3 needs a user", nameof(options)))
            : new CommunityMessageModel(options.Version, options.Community);

    private static async ValueTask<ISnmpTransport> ConnectUdpAsync(SnmpDriverOptions options, CancellationToken cancellationToken) =>
        await UdpSnmpTransport.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("An SnmpDriver runs once; create a new one to run again.");
        }

        SnmpClient? client = null;
        try
        {
            _logger.LogInformation("SNMP UPS at {Target}: {Version}, mibs={Mibs}, polling every {Interval} s",
                _options.Target, VersionName(_options.Version), _options.Mibs.ToString().ToLowerInvariant(), _options.PollInterval.TotalSeconds);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    client ??= new SnmpClient(await _connect(cancellationToken).ConfigureAwait(false), _messageModel(), _options.Client);
                    _mapping ??= await DetectAsync(client, cancellationToken).ConfigureAwait(false);
                    if (_mapping is not null)
                    {
                        await PollAsync(client, _mapping, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is SnmpClientException or SocketException && !cancellationToken.IsCancellationRequested)
                {
                    NoAnswer(e);
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

            _writer.MarkDisconnected();
            _logger.LogInformation("SNMP UPS at {Target}: stopped", _options.Target);
        }
    }

    /// <summary>mibs=auto: the MIB sysObjectID names, confirmed by its model object; else each MIB's model object in turn.</summary>
    private async Task<SnmpUpsMapping?> DetectAsync(SnmpClient client, CancellationToken cancellationToken)
    {
        var candidates = new List<SnmpUpsMapping>();
        string? sysObjectId = null;
        switch (_options.Mibs)
        {
            case SnmpMibChoice.Ietf:
                candidates.Add(SnmpUpsMappings.Ietf);
                break;
            case SnmpMibChoice.Apc:
                candidates.Add(SnmpUpsMappings.ApcPowerNet);
                break;
            default:
                Dictionary<ObjectIdentifier, SnmpValue> system = await client.ReadAsync([SnmpUpsMappings.SysObjectId], cancellationToken).ConfigureAwait(false);
                if (system.TryGetValue(SnmpUpsMappings.SysObjectId, out SnmpValue value) && value.Oid is { } oid)
                {
                    sysObjectId = oid.ToString();
                    if (SnmpUpsMappings.ForSystemObjectId(oid) is { } named)
                    {
                        candidates.Add(named);
                    }
                }

                candidates.AddRange(SnmpUpsMappings.All.Where(m => !candidates.Contains(m)));
                break;
        }

        foreach (SnmpUpsMapping candidate in candidates)
        {
            Dictionary<ObjectIdentifier, SnmpValue> model = await client.ReadAsync([candidate.ModelObject], cancellationToken).ConfigureAwait(false);
            if (model.ContainsKey(candidate.ModelObject))
            {
                _logger.LogInformation("SNMP UPS at {Target}: reading it as {Mib} (mibs={Name}, sysObjectID {SysObjectId})",
                    _options.Target, candidate.Description, candidate.Name, sysObjectId ?? "not asked");
                return candidate;
            }
        }

        _logger.LogWarning("SNMP UPS at {Target}: answers, but not with {Objects}; no supported MIB (sysObjectID {SysObjectId}); trying again",
            _options.Target, string.Join(" or ", candidates.Select(c => $"{c.ModelObject} ({c.Name})")), sysObjectId ?? "not asked");
        return null;
    }

    private async Task PollAsync(SnmpClient client, SnmpUpsMapping mapping, CancellationToken cancellationToken)
    {
        if (_polls++ % ReprobeEveryPolls == 0)
        {
            _absent.Clear();
        }

        List<ObjectIdentifier> wanted = mapping.Objects.Where(o => !_absent.Contains(o)).ToList();
        Dictionary<ObjectIdentifier, SnmpValue> values = await client.ReadAsync(wanted, cancellationToken).ConfigureAwait(false);
        if (values.Count == 0)
        {
            throw new SnmpClientException($"{_options.Target} answered but had none of the {wanted.Count} {mapping.Name} objects");
        }

        foreach (ObjectIdentifier name in wanted)
        {
            if (!values.ContainsKey(name))
            {
                _absent.Add(name);
            }
        }

        Publish(mapping, mapping.Map(values));
    }

    private void Publish(SnmpUpsMapping mapping, List<KeyValuePair<string, string>> mapped)
    {
        var next = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string value) in mapped)
        {
            next[name] = value;
        }

        // NUT keeps device.* and ups.* identity in step (dstate aliases); readers look for either.
        Alias(next, NutNames.UpsMfr, NutNames.DeviceMfr);
        Alias(next, NutNames.UpsModel, NutNames.DeviceModel);
        Alias(next, NutNames.UpsSerial, "device.serial");
        next[NutNames.DeviceType] = "ups";
        next[NutNames.DriverName] = DriverName;
        next[NutNames.DriverVersion] = DriverVersion;
        next["driver.parameter.port"] = _options.Target;
        next["driver.parameter.mibs"] = mapping.Name;
        next["driver.parameter.snmp_version"] = VersionName(_options.Version);
        next["driver.parameter.pollinterval"] = SnmpUpsMapping.FormatNumber(_options.PollInterval.TotalSeconds);

        if (_values.Publish(next, []))
        {
            _logger.LogInformation("SNMP UPS at {Target}: answers again; data fresh", _options.Target);
        }
    }

    private void NoAnswer(Exception e)
    {
        if (_values.Fail())
        {
            _logger.LogWarning("SNMP UPS at {Target}: {Problem}; {Consequence}", _options.Target, e.Message,
                _values.EverPublished ? "data stale until it answers again" : "no data yet, trying again");
        }

        // After a silence the card may have been replaced or rebooted with other firmware.
        _absent.Clear();
        _polls = 0;
    }

    private static void Alias(Dictionary<string, string> values, string ups, string device)
    {
        if (values.TryGetValue(ups, out string? value) && !values.ContainsKey(device))
        {
            values[device] = value;
        }
    }

    private static string DriverVersion { get; } =
        typeof(SnmpDriver).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    public static string VersionName(SnmpVersion version) => version switch
    {
        SnmpVersion.V1 => "v1",
        SnmpVersion.V2c => "v2c",
        _ => "v3",
    };

    /// <summary>This driver offers no writable variables: NUT's only hand SETs to variables the driver declared writable.</summary>
    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Unknown);

    /// <summary>This driver offers no instant commands (its command list is empty), so every name is unknown.</summary>
    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Unknown);
}
