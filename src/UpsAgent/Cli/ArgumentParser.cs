namespace UpsAgent.Cli;

/// <summary>Parses "--name value", "--name=value" and flags against a fixed spec; nothing is guessed.</summary>
public static class ArgumentParser
{
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs, string command)
    {
        var parsed = new ParsedArguments();
        bool onlyPositional = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (onlyPositional || arg == "-" || !arg.StartsWith('-'))
            {
                parsed.Positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositional = true;
                continue;
            }

            string name = arg;
            string? inline = null;
            int equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            OptionSpec spec = specs.FirstOrDefault(s => s.Name == name || s.ShortName == name)
                ?? throw new UsageException($"{command}: unknown option '{name}' (see 'upsagent {command} --help')");
            if (spec.TakesValue)
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"{command}: option {spec.Name} needs a value {spec.ValueName}");
                    }

                    inline = args[++i];
                }

                parsed.Add(spec.Name, inline);
            }
            else
            {
                if (inline is not null)
                {
                    throw new UsageException($"{command}: option {spec.Name} takes no value");
                }

                parsed.Add(spec.Name, "true");
            }
        }

        return parsed;
    }
}
