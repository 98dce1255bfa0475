using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using UpsAgent.Backup.Jobs;
using UpsAgent.Configuration;
using UpsAgent.Console.Control;
using UpsAgent.Console.Repl;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Processes;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers;
using UpsAgent.Logging;
using UpsAgent.Servers.Nut;
using UpsAgent.Servers.Snmp;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Monitoring;
using UpsAgent.Shutdown.Timers;

namespace UpsAgent.Hosting;

/// <summary>
/// The composition root: builds one driver per configured UPS, the NUT server and the control
/// socket from an <see cref="AgentConfig"/>, starts them, and stops them in reverse order.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly AgentConfig _config;
    private readonly AgentHostMode _mode;
    private readonly IClock _clock;
    private readonly StderrLoggerProvider _logs;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _driversStop = new();
    private readonly List<(UpsUnit Unit, IUpsDriver Driver)> _drivers = [];
    private readonly List<Task> _driverTasks = [];
    private readonly List<IStatusReporter> _reporters = [];
    private readonly IProcessRunner _processes;
    private NutServer? _nutServer;
    private SnmpServer? _snmpServer;
    private ControlServer? _controlServer;
    private ShutdownMonitor? _shutdown;
    private EventTimers? _timers;
    private Task? _shutdownTask;
    private readonly CancellationTokenSource _shutdownStop = new();
    private bool _stopped;
    private readonly RaidService _raid;
    private readonly JobScheduler? _jobs;
    private Task? _jobsTask;

    public AgentHost(AgentConfig config, AgentHostMode mode, IClock? clock = null, TextWriter? log = null, IProcessRunner? processes = null)
    {
        _config = config;
        _mode = mode;
        _clock = clock ?? new SystemClock();
        _processes = processes ?? new SystemProcessRunner();
        ShutdownFactory.Validate(config);
        _logs = new StderrLoggerProvider(config.LogLevel, log);
        _logger = _logs.CreateLogger("agent");

        var units = new List<UpsUnit>();
        foreach (UpsSettings ups in config.Ups)
        {
            var store = new UpsStateStore(ups.Name, ups.Description, _clock);
            IUpsDriver driver = DriverFactory.Create(ups, store.CreateWriter(), _clock, _logs.CreateLogger($"driver.{ups.Name}"));
            var unit = new UpsUnit(store, driver);
            units.Add(unit);
            _drivers.Add((unit, driver));
        }

        Registry = new UpsRegistry(units);
        Users = UserTableFactory.Create(config);
        Shell = new CommandShell();
        string where = mode switch
        {
            AgentHostMode.Agent => $"agent pid {Environment.ProcessId}",
            AgentHostMode.Rehearsal => "rehearsal",
            _ => "in-process (no agent running)",
        };
        var context = new AgentContext(Registry, _reporters, where);
        AgentCommands.Register(Shell, context);
        UpsCommands.Register(Shell, context);
        SnmpReplCommands.Register(Shell);
        BackupReplCommands.Register(Shell);
        _raid = new RaidService(config.Arrays, TimeProvider.System, _logs.CreateLogger("raid"));
        if (mode != AgentHostMode.Rehearsal)
        {
            ShutdownReplCommands.Register(Shell, config);
            RaidReplCommands.Register(Shell, _raid);

            // Jobs run on their schedules only in the agent; in-process (REPL without an agent) 'job run' still works.
            var runner = new BackupJobRunner(_processes);
            _jobs = new JobScheduler(config.Jobs, _clock, TimeZoneInfo.Local, runner.RunAsync, _logs.CreateLogger("jobs"));
            JobReplCommands.Register(Shell, _jobs, TimeZoneInfo.Local);
        }

        if (mode == AgentHostMode.Agent && config.Arrays.Count > 0)
        {
            _reporters.Add(new RaidStatusReporter(_raid));
        }
    }

    public UpsRegistry Registry { get; }

    public NutUserTable Users { get; }

    public CommandShell Shell { get; }

    /// <summary>Where the NUT server actually listens (ports resolved when 0 was configured).</summary>
    public IReadOnlyList<IPEndPoint> NutEndpoints => _nutServer?.BoundEndpoints ?? [];

    /// <summary>Where the SNMP agent actually listens; empty when it does not run.</summary>
    public IReadOnlyList<IPEndPoint> SnmpEndpoints => _snmpServer?.BoundEndpoints ?? [];

    /// <summary>The configured md-format arrays (assembled in agent mode only).</summary>
    public RaidService Raid => _raid;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach ((UpsUnit unit, IUpsDriver driver) in _drivers)
        {
            _driverTasks.Add(RunDriverAsync(unit, driver, _driversStop.Token));
        }

        if (_mode == AgentHostMode.InProcess)
        {
            return;
        }

        if (_mode == AgentHostMode.Rehearsal)
        {
            StartShutdownMonitor();
            return;
        }

        // Arrays first: the shutdown monitor's hook quiesces them.
        _raid.Start();

        if (_config.Nut.Enabled && _config.Nut.Listen.Count > 0)
        {
            var options = new NutServerOptions
            {
                Listen = _config.Nut.Listen,
                MaxConnections = _config.Nut.MaxConnections,
                SocketLoops = _config.Nut.SocketLoops,
                IdleTimeout = _config.Nut.IdleTimeout,
                Certificate = LoadCertificate(),
            };
            _nutServer = new NutServer(options, Registry, Users, _clock, _logs.CreateLogger("nut"));
            await _nutServer.StartAsync(cancellationToken).ConfigureAwait(false);
            _reporters.Add(new NutStatusReporter(_nutServer));
            _logger.LogInformation("NUT server listening on {Endpoints}", string.Join(", ", _nutServer.BoundEndpoints));
        }

        if (_config.Snmp.Enabled)
        {
            _snmpServer = new SnmpServer(SnmpConfigReader.ToOptions(_config.Snmp), Registry, _clock, _logs.CreateLogger("snmp"));
            await _snmpServer.StartAsync(cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("SNMP agent listening on {Endpoints}", string.Join(", ", _snmpServer.BoundEndpoints));
        }

        StartShutdownMonitor();

        if (_jobs is not null && _config.Jobs.Count > 0)
        {
            _jobsTask = _jobs.RunAsync(_shutdownStop.Token);
            _logger.LogInformation("backup jobs: {Jobs}", string.Join(", ", _jobs.States().Select(s => $"{s.Job.Name} next at {s.NextRun.ToLocalTime():yyyy-MM-dd HH:mm zzz}")));
        }

        if (_config.ControlSocket is not null)
        {
            _controlServer = new ControlServer(_config.ControlSocket, Shell, _logs.CreateLogger("control"));
            _controlServer.Start();
        }

        _logger.LogInformation(
            "serving {Count} UPS: {Names}", Registry.All.Length, string.Join(", ", Registry.All.Select(u => u.Name)));
    }

    /// <summary>Waits for the first data of every UPS (bounded), so a script's first command sees values.</summary>
    public async Task WaitForFirstDataAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Registry.All.Any(u => u.Current.DataState == UpsDataState.Waiting) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WaitForStopAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _logger.LogInformation("stopping");
        await StopAsync().ConfigureAwait(false);
        _logger.LogInformation("stopped");
    }

    private async Task RunDriverAsync(UpsUnit unit, IUpsDriver driver, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await driver.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A failing driver is a state the clients see (DRIVER-NOT-CONNECTED), not the end of the agent.
            _logger.LogError(e, "driver of UPS {Ups} failed", unit.Name);
        }
    }

    /// <summary>upsmon's job: watch the supplies, notify, and shut the host down when the policy says so.</summary>
    public ShutdownMonitor? Shutdown => _shutdown;

    public EventTimers? Timers => _timers;

    private void StartShutdownMonitor()
    {
        if (_config.Shutdown.PowerDownFlag is { } flag && PowerDownFlag.ClearStale(flag))
        {
            _logger.LogInformation("removed the power-down flag {Flag} left by the last shutdown", flag);
        }

        (_shutdown, _timers) = ShutdownFactory.Create(
            _config,
            Registry,
            ups => _nutServer?.GetStatus().LoginsPerUps.GetValueOrDefault(ups) ?? 0,
            _processes,
            _clock,
            name => _logs.CreateLogger(name),
            engineHooks: _mode == AgentHostMode.Agent && _config.Arrays.Count > 0 ? [_raid.CreateShutdownHook()] : null);
        _reporters.Add(new ShutdownStatusReporter(_shutdown, _timers, _config));
        _shutdownTask = _shutdown.RunAsync(_shutdownStop.Token);
    }

    private X509Certificate2? LoadCertificate()
    {
        if (_config.Nut.CertificatePath is null)
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(_config.Nut.CertificatePath, _config.Nut.KeyPath);
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new ConfigException(_config.Source, 0, "certificate", $"cannot load {_config.Nut.CertificatePath}: {e.Message}");
        }
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_shutdown is not null)
        {
            await _shutdownStop.CancelAsync().ConfigureAwait(false);
            await (_shutdownTask ?? Task.CompletedTask).ConfigureAwait(false);
            await _shutdown.DisposeAsync().ConfigureAwait(false);
        }

        if (_controlServer is not null)
        {
            await _controlServer.DisposeAsync().ConfigureAwait(false);
        }

        if (_nutServer is not null)
        {
            await _nutServer.DisposeAsync().ConfigureAwait(false);
        }

        if (_snmpServer is not null)
        {
            await _snmpServer.DisposeAsync().ConfigureAwait(false);
        }

        if (_jobs is not null)
        {
            // A run in progress is cancelled: an append not yet committed leaves the image as it was.
            await _jobs.DisposeAsync().ConfigureAwait(false);
            await (_jobsTask ?? Task.CompletedTask).ConfigureAwait(false);
        }

        // Closing marks the arrays clean: a stopped agent owes no resync.
        await _raid.DisposeAsync().ConfigureAwait(false);
        await _driversStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_driverTasks).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _driversStop.Dispose();
        _shutdownStop.Dispose();
        _logs.Dispose();
    }
}
