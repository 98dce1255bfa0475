namespace UpsAgent.Configuration;

/// <summary>A configuration mistake, located by file, line and key so the admin can fix it at once.</summary>
public sealed class ConfigException(string file, int line, string? key, string problem)
    : Exception(key is null ? $"{file}:{line}: {problem}" : $"{file}:{line}: {key}: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string? Key { get; } = key;
}
