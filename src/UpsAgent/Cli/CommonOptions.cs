namespace UpsAgent.Cli;

/// <summary>Options several subcommands share, spelled once.</summary>
public static class CommonOptions
{
    public static readonly OptionSpec Config = new(
        "--config", "FILE", $"configuration file (default {Configuration.AgentConfigLoader.DefaultPath} if it exists, else one simulated UPS)");

    public static readonly OptionSpec ControlSocket = new(
        "--control-socket", "PATH", "control socket path, or 'none' (default /run/upsagent/control.sock as root)");

    public static readonly OptionSpec Help = new("--help", null, "show this help", "-h");
}
