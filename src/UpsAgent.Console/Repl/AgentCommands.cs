namespace UpsAgent.Console.Repl;

/// <summary>Commands about the shell and agent themselves: help and status.</summary>
public static class AgentCommands
{
    public static void Register(CommandShell shell, AgentContext context)
    {
        shell.Add(new ReplCommand("help", "help [GROUP]", "list commands, or those of one group", i => Help(i, shell)));
        shell.Add(new ReplCommand("status", "status", "what the agent runs and how it is doing", i => Status(i, context)));
        shell.Add(new ReplCommand("status tsv", "status tsv", "the same, as tab-separated records for scripts and the console", i => StatusRecords(i, context)));
    }

    private static Task<int> Help(ReplInvocation i, CommandShell shell)
    {
        if (i.Arguments.Count > 1)
        {
            return Task.FromResult(i.Usage());
        }

        if (i.Arguments.Count == 0)
        {
            i.Output.WriteLine("Commands (words in CAPITALS are yours to fill in; 'quit' or end of input leaves):");
        }

        shell.WriteHelp(i.Output, i.Arguments.Count == 1 ? i.Arguments[0] : null);
        return Task.FromResult(0);
    }

    private static Task<int> Status(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 0)
        {
            return Task.FromResult(i.Usage());
        }

        i.Output.WriteLine($"agent: {context.Where}");
        i.Output.WriteLine($"ups: {context.Registry.All.Length} configured");
        foreach (var unit in context.Registry.All)
        {
            var s = unit.Current;
            i.Output.WriteLine($"  {unit.Name}: {s.DataState} {s.StatusText} (updated {s.UpdatedAt:yyyy-MM-dd HH:mm:ss}Z)");
        }

        foreach (IStatusReporter reporter in context.StatusReporters)
        {
            i.Output.WriteLine($"{reporter.Name}:");
            reporter.WriteStatus(i.Output);
        }

        return Task.FromResult(0);
    }

    /// <summary>
    /// One record per line, fields split by tabs: "agent WHERE", "ups NAME DATA-STATE STATUS CHARGE
    /// RUNTIME DESCRIPTION" (charge in percent and runtime in seconds as the UPS reports them, empty
    /// when it does not), then for each engine "section NAME" followed by its "line TEXT" records.
    /// </summary>
    private static Task<int> StatusRecords(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 0)
        {
            return Task.FromResult(i.Usage());
        }

        i.Output.WriteLine(StatusRecord.Join("agent", context.Where));
        foreach (var unit in context.Registry.All)
        {
            var s = unit.Current;
            i.Output.WriteLine(StatusRecord.Join(
                "ups",
                unit.Name,
                s.DataState.ToString(),
                s.StatusText,
                s.GetValue("battery.charge") ?? string.Empty,
                s.GetValue("battery.runtime") ?? string.Empty,
                s.Description));
        }

        foreach (IStatusReporter reporter in context.StatusReporters)
        {
            i.Output.WriteLine(StatusRecord.Join("section", reporter.Name));
            var text = new StringWriter { NewLine = "\n" };
            reporter.WriteStatus(text);
            foreach (string line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                i.Output.WriteLine(StatusRecord.Join("line", line.Trim()));
            }
        }

        return Task.FromResult(0);
    }
}
