using UpsAgent.Cli;
using UpsAgent.Configuration;

namespace UpsAgent;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        IReadOnlyList<CliVerb> verbs = Verbs.All();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" && args.Length == 1)
        {
            WriteTopHelp(System.Console.Out, verbs);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] is "--version" or "version")
        {
            System.Console.Out.WriteLine($"upsagent {typeof(Program).Assembly.GetName().Version?.ToString(3)}");
            return 0;
        }

        string verbName = args[0] == "help" ? args[1] : args[0];
        CliVerb? verb = verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            System.Console.Error.WriteLine($"upsagent: unknown command '{verbName}'");
            WriteTopHelp(System.Console.Error, verbs);
            return 2;
        }

        string[] rest = args[0] == "help" ? ["--help"] : args[1..];
        try
        {
            ParsedArguments parsed = ArgumentParser.Parse(rest, [.. verb.Options, CommonOptions.Help], verb.Name);
            if (parsed.Has("--help"))
            {
                verb.WriteHelp(System.Console.Out);
                return 0;
            }

            using var stop = new CancellationTokenSource();
            return await verb.Handler(parsed, stop.Token).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            System.Console.Error.WriteLine($"upsagent: {e.Message}");
            return 2;
        }
        catch (ConfigException e)
        {
            System.Console.Error.WriteLine($"upsagent: configuration error: {e.Message}");
            return 78; // EX_CONFIG from sysexits.h, which systemd shows as "CONFIG"
        }
    }

    private static void WriteTopHelp(TextWriter output, IReadOnlyList<CliVerb> verbs)
    {
        output.WriteLine("usage: upsagent COMMAND [OPTIONS]");
        output.WriteLine();
        output.WriteLine("UpsAgent watches UPSes, serves their state to NUT clients, and shuts hosts down safely.");
        output.WriteLine();
        output.WriteLine("commands:");
        foreach (CliVerb verb in verbs)
        {
            output.WriteLine($"  {verb.Name,-10} {verb.Summary}");
        }

        output.WriteLine($"  {"version",-10} print the version");
        output.WriteLine();
        output.WriteLine("'upsagent COMMAND --help' explains a command and its options.");
    }
}
