namespace UpsAgent.Cli;

/// <summary>One accepted option: its name, whether it takes a value, and its help line.</summary>
public sealed record OptionSpec(string Name, string? ValueName, string Help, string? ShortName = null)
{
    public bool TakesValue => ValueName is not null;
}
