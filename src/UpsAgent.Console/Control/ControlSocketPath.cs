namespace UpsAgent.Console.Control;

/// <summary>Where the agent's control socket lives when the configuration does not say.</summary>
public static class ControlSocketPath
{
    public static string Default()
    {
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
        {
            return "/run/upsagent/control.sock";
        }

        string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return string.IsNullOrEmpty(runtime)
            ? Path.Combine(Path.GetTempPath(), $"upsagent-{Environment.UserName}", "control.sock")
            : Path.Combine(runtime, "upsagent", "control.sock");
    }
}
