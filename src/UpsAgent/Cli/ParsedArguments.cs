namespace UpsAgent.Cli;

/// <summary>Options and positional words of one subcommand, after checking them against its spec.</summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Value(string option) => _options.TryGetValue(option, out List<string>? v) ? v[^1] : null;

    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out List<string>? v) ? v : [];

    internal void Add(string option, string value)
    {
        if (!_options.TryGetValue(option, out List<string>? list))
        {
            _options[option] = list = [];
        }

        list.Add(value);
    }
}
