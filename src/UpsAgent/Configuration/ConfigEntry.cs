namespace UpsAgent.Configuration;

/// <summary>One "key = value" line of the configuration file, remembered with where it came from.</summary>
public sealed record ConfigEntry(string Key, string Value, string File, int Line)
{
    public ConfigException Error(string problem) => new(File, Line, Key, problem);
}
