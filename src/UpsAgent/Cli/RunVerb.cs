using System.Runtime.InteropServices;
using UpsAgent.Configuration;
using UpsAgent.Hosting;

namespace UpsAgent.Cli;

/// <summary>"upsagent run": the resident agent, headless, until SIGTERM or Ctrl-C.</summary>
public static class RunVerb
{
    private static readonly OptionSpec ListenNut = new(
        "--listen-nut", "ADDR:PORT", "serve NUT here instead of the configured listen lines (repeatable; 'none' disables)");

    private static readonly OptionSpec ListenSnmp = new(
        "--listen-snmp", "ADDR:PORT", "run the SNMP agent (UPS-MIB) here instead of the [snmp] listen lines (repeatable; 'none' disables)");

    private static readonly OptionSpec Outage = new(
        "--outage", null, "simulated UPSes without their own file play the built-in outage sequence (a demo)");

    private static readonly OptionSpec LogLevelOption = new(
        "--log-level", "LEVEL", "debug, info, warning or error (overrides [agent] log-level)");

    public static CliVerb Create() => new(
        "run",
        "run [--config FILE] [--listen-nut ADDR:PORT] [--listen-snmp ADDR:PORT] [--control-socket PATH] [--outage]",
        "Run the agent: drivers, the NUT server and the control socket, until SIGTERM or Ctrl-C.",
        """
        With no configuration file the agent serves one simulated UPS named 'ups' on 127.0.0.1:3493,
        so 'upsc ups@127.0.0.1' answers at once. Logs go to stderr (journald under systemd).
        Exit codes: 0 after a clean stop, 1 when a listener cannot start, 2 for a bad command line,
        78 for a configuration error (the message names the file, line and key).
        """,
        [CommonOptions.Config, ListenNut, ListenSnmp, CommonOptions.ControlSocket, Outage, LogLevelOption],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"run: unexpected argument '{args.Positional[0]}'");
        }

        AgentConfig config = ConfigResolver.Resolve(args.Value("--config"));
        ApplyOverrides(config, args);
        RunSocketCompletionsInline();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using var host = new AgentHost(config, AgentHostMode.Agent);
        try
        {
            await host.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"upsagent: cannot start: {e.Message}");
            return 1;
        }

        await host.WaitForStopAsync(stop.Token).ConfigureAwait(false);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we stop cleanly ourselves
            stop.Cancel();
        }
    }

    /// <summary>
    /// Lets socket completions run on the event thread instead of hopping to the thread pool. The
    /// NUT server never blocks there (hashed passwords are derived on the pool), and for clients
    /// that send one request at a time this about halves the CPU spent per request. It must be set
    /// before the first socket exists; an admin's own setting of the variable wins.
    /// </summary>
    private static void RunSocketCompletionsInline()
    {
        const string Name = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(Name) is null)
        {
            Environment.SetEnvironmentVariable(Name, "1");
        }
    }

    internal static void ApplyOverrides(AgentConfig config, ParsedArguments args)
    {
        IReadOnlyList<string> listen = args.Values("--listen-nut");
        if (listen.Count > 0)
        {
            config.Nut.Listen.Clear();
            config.Nut.Enabled = true;
            foreach (string value in listen)
            {
                if (value == "none")
                {
                    config.Nut.Enabled = false;
                    continue;
                }

                config.Nut.Listen.Add(AgentConfigLoader.ParseEndpoint(value, 3493)
                    ?? throw new UsageException($"--listen-nut: '{value}' is not ADDRESS[:PORT]"));
            }
        }

        IReadOnlyList<string> listenSnmp = args.Values("--listen-snmp");
        if (listenSnmp.Count > 0)
        {
            config.Snmp.Listen.Clear();
            foreach (string value in listenSnmp.Where(v => v != "none"))
            {
                config.Snmp.Listen.Add(AgentConfigLoader.ParseEndpoint(value, SnmpSettings.DefaultPort)
                    ?? throw new UsageException($"--listen-snmp: '{value}' is not ADDRESS[:PORT]"));
            }
        }

        string? socket = args.Value("--control-socket");
        if (socket is not null)
        {
            config.ControlSocket = socket == "none" ? null : socket;
        }

        if (args.Has("--outage"))
        {
            foreach (UpsSettings ups in config.Ups.Where(u => u.Driver == "simulated" && !u.Section.Entries.Any(e => e.Key == "file")))
            {
                ups.Section.Entries.Add(new ConfigEntry("file", "builtin:outage", "--outage", 0));
            }
        }

        string? level = args.Value("--log-level");
        if (level is not null)
        {
            config.LogLevel = level switch
            {
                "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
                "info" => Microsoft.Extensions.Logging.LogLevel.Information,
                "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
                "error" => Microsoft.Extensions.Logging.LogLevel.Error,
                _ => throw new UsageException($"--log-level: '{level}' is not debug, info, warning or error"),
            };
        }
    }
}
