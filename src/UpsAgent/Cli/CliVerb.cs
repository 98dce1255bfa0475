namespace UpsAgent.Cli;

/// <summary>A subcommand of the executable: its words, help and handler.</summary>
public sealed record CliVerb(
    string Name,
    string Usage,
    string Summary,
    string Description,
    IReadOnlyList<OptionSpec> Options,
    Func<ParsedArguments, CancellationToken, Task<int>> Handler)
{
    public void WriteHelp(TextWriter output)
    {
        output.WriteLine($"usage: upsagent {Usage}");
        output.WriteLine();
        output.WriteLine(Summary);
        if (Description.Length > 0)
        {
            output.WriteLine();
            output.WriteLine(Description.TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("options:");
        foreach (OptionSpec option in Options)
        {
            string names = option.ShortName is null ? option.Name : $"{option.ShortName}, {option.Name}";
            string left = option.TakesValue ? $"{names} {option.ValueName}" : names;
            output.WriteLine($"  {left,-32} {option.Help}");
        }

        output.WriteLine($"  {"-h, --help",-32} show this help");
    }
}
