namespace UpsAgent.Configuration;

/// <summary>Finds the configuration a command should use: --config, else the system file, else defaults.</summary>
public static class ConfigResolver
{
    public static AgentConfig Resolve(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return AgentConfigLoader.LoadFile(explicitPath);
        }

        return File.Exists(AgentConfigLoader.DefaultPath)
            ? AgentConfigLoader.LoadFile(AgentConfigLoader.DefaultPath)
            : AgentConfigLoader.Defaults();
    }
}
