using UpsAgent.Configuration;
using UpsAgent.Hosting;

namespace UpsAgent.Cli;

/// <summary>"upsagent check": validate a configuration without starting anything.</summary>
public static class CheckVerb
{
    public static CliVerb Create() => new(
        "check",
        "check [--config FILE]",
        "Check a configuration file and print what the agent would run.",
        "Exit code 0 when the configuration is valid, 78 with file, line and key when it is not.",
        [CommonOptions.Config],
        RunAsync);

    private static Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 0)
        {
            throw new UsageException($"check: unexpected argument '{args.Positional[0]}'");
        }

        AgentConfig config = ConfigResolver.Resolve(args.Value("--config"));
        DriverFactory.Validate(config);
        UserTableFactory.Create(config);
        ShutdownFactory.Validate(config);
        TextWriter o = System.Console.Out;
        o.WriteLine($"configuration: {config.Source}: OK");
        o.WriteLine(config.Nut.Enabled
            ? $"nut: listen {string.Join(", ", config.Nut.Listen)}; max {config.Nut.MaxConnections} connections; idle timeout {config.Nut.IdleTimeout.TotalSeconds:0} s; TLS {(config.Nut.CertificatePath is null ? "off" : "on")}"
            : "nut: disabled");
        o.WriteLine($"control socket: {config.ControlSocket ?? "disabled"}");
        foreach (UpsSettings ups in config.Ups)
        {
            o.WriteLine($"ups {ups.Name}: driver {ups.Driver}; {ups.Description}");
        }

        foreach (UserSettings user in config.Users)
        {
            string role = user.UpsmonRole is null ? string.Empty : $"; upsmon {user.UpsmonRole}";
            o.WriteLine($"user {user.Name}: actions [{string.Join(' ', user.Actions)}]; instcmds [{string.Join(' ', user.InstantCommands)}]{role}");
        }

        foreach (MonitorConfig m in ShutdownFactory.Monitors(config))
        {
            string where = m.IsLocal ? "local" : $"{m.Host}:{m.Port} as {m.User}";
            o.WriteLine($"monitor {m.Label}: {m.Ups} ({where}), {m.Role.ToString().ToLowerInvariant()}, power value {m.PowerValue}");
        }

        o.WriteLine($"shutdown command: {config.Shutdown.Command ?? "none (decisions are logged and notified only)"}");
        foreach (Backup.Jobs.BackupJob job in config.Jobs)
        {
            string what = string.Join(", ", job.Sources.Concat(job.Databases.Select(d => $"pg_dump {d}")));
            o.WriteLine($"job {job.Name}: schedule '{job.Schedule}', next run {job.Schedule.Next(DateTimeOffset.UtcNow, TimeZoneInfo.Local).ToLocalTime():yyyy-MM-dd HH:mm zzz}; {what}; {job.TargetText}");
        }
        return Task.FromResult(0);
    }
}
