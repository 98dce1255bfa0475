namespace UpsAgent.Configuration;

/// <summary>A [kind] or [kind NAME] section with its entries in file order.</summary>
public sealed class ConfigSection(string kind, string? name, string file, int line)
{
    public string Kind { get; } = kind;

    public string? Name { get; } = name;

    public string File { get; } = file;

    public int Line { get; } = line;

    public List<ConfigEntry> Entries { get; } = [];

    public ConfigException Error(string problem) => new(File, Line, null, problem);
}
