using UpsAgent.Configuration;
using UpsAgent.Core.Commands;
using UpsAgent.Core.Names;
using UpsAgent.Hosting;
using UpsAgent.Shutdown.Execution;

namespace UpsAgent.Cli;

/// <summary>
/// "upsagent killpower": for the end of the host's shutdown script (where NUT runs
/// "upsdrvctl shutdown"): when the power-down flag says this was a power-loss shutdown, tell each
/// local UPS to cut its output and restore it when mains return (shutdown.return).
/// </summary>
public static class KillpowerVerb
{
    private static readonly OptionSpec Check = new("--check", null, "only test the flag: exit 0 when set, 1 when not (like upsmon -K)");

    private static readonly OptionSpec Force = new("--force", null, "send the command even without the flag");

    public static CliVerb Create() => new(
        "killpower",
        "killpower [--config FILE] [--check] [--force]",
        "Cut the UPS's power at the end of a power-loss shutdown, so the host restarts when mains return.",
        """
        Reads [shutdown] power-down-flag. Without the flag it does nothing and exits 1, so a normal
        reboot never cuts the power. With it, each local UPS gets shutdown.return (or
        shutdown.stayoff when it lacks that). Run it from the very end of the shutdown sequence,
        after file systems are read-only (e.g. a systemd-shutdown hook).
        """,
        [CommonOptions.Config, Check, Force],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"killpower: unexpected argument '{args.Positional[0]}'");
        }

        AgentConfig config = ConfigResolver.Resolve(args.Value("--config"));
        string? flag = config.Shutdown.PowerDownFlag;
        bool set = flag is not null && PowerDownFlag.IsSet(flag);
        if (args.Has("--check"))
        {
            System.Console.Out.WriteLine(set ? $"power-down flag {flag} is set" : $"power-down flag {flag ?? "(not configured)"} is not set");
            return set ? 0 : 1;
        }

        if (!set && !args.Has("--force"))
        {
            System.Console.Error.WriteLine($"upsagent: power-down flag {flag ?? "(not configured: [shutdown] power-down-flag)"} is not set; the UPS keeps its power");
            return 1;
        }

        config.ControlSocket = null;
        await using var host = new AgentHost(config, AgentHostMode.InProcess);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        await host.WaitForFirstDataAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        int failures = 0;
        foreach (UpsUnit unit in host.Registry.All)
        {
            string? command = unit.Current.HasCommand(NutCommandNames.ShutdownReturn) ? NutCommandNames.ShutdownReturn
                : unit.Current.HasCommand(NutCommandNames.ShutdownStayOff) ? NutCommandNames.ShutdownStayOff
                : null;
            if (command is null)
            {
                System.Console.Error.WriteLine($"upsagent: UPS {unit.Name} offers neither shutdown.return nor shutdown.stayoff");
                failures++;
                continue;
            }

            var outcome = await unit.Commands.RunInstantCommandAsync(command, null, cancellationToken).ConfigureAwait(false);
            System.Console.Out.WriteLine($"{unit.Name}: {command}: {outcome}");
            failures += outcome == CommandOutcome.Success ? 0 : 1;
        }

        return failures == 0 ? 0 : 1;
    }
}
