using UpsAgent.Cli;
using UpsAgent.Console.Repl;

namespace UpsAgent.Hosting;

/// <summary>The REPL's "snmp" group: the command line's snmp get and snmp walk, same options, same output.</summary>
public static class SnmpReplCommands
{
    public static void Register(CommandShell shell)
    {
        Add(shell, "get", "snmp get [-v 1|2c|3] [-c COMMUNITY] HOST[:PORT] OID...", "ask any SNMP agent for objects (snmpget)");
        Add(shell, "walk", "snmp walk [-v 1|2c|3] [-c COMMUNITY] HOST[:PORT] [OID]", "every object under OID (snmpwalk, snmpbulkwalk)");
    }

    private static void Add(CommandShell shell, string subcommand, string usage, string summary) =>
        shell.Add(new ReplCommand($"snmp {subcommand}", usage, summary, async i =>
        {
            try
            {
                ParsedArguments parsed = ArgumentParser.Parse([subcommand, .. i.Arguments], SnmpVerb.Options, "snmp");
                return await SnmpVerb.RunAsync(parsed, i.Output, i.CancellationToken).ConfigureAwait(false);
            }
            catch (UsageException e)
            {
                i.Output.WriteLine($"error: {e.Message}");
                return i.Usage();
            }
        }));
}
