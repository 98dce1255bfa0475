using UpsAgent.Core.Commands;
using UpsAgent.Core.State;

namespace UpsAgent.Console.Repl;

/// <summary>The "ups" command group: upsc, upsrw and upscmd in one vocabulary.</summary>
public static class UpsCommands
{
    public static void Register(CommandShell shell, AgentContext context)
    {
        shell.Add(new ReplCommand("ups list", "ups list", "UPSes served, with status (upsc -l)", i => List(i, context)));
        shell.Add(new ReplCommand("ups vars", "ups vars NAME", "all variables of a UPS (upsc NAME)", i => Vars(i, context)));
        shell.Add(new ReplCommand("ups get", "ups get NAME VAR", "one variable (upsc NAME VAR)", i => Get(i, context)));
        shell.Add(new ReplCommand("ups rw", "ups rw NAME", "writable variables with type (upsrw NAME)", i => Writable(i, context)));
        shell.Add(new ReplCommand("ups set", "ups set NAME VAR VALUE", "change a writable variable (upsrw -s)", i => Set(i, context)));
        shell.Add(new ReplCommand("ups cmds", "ups cmds NAME", "instant commands of a UPS (upscmd -l)", i => Commands(i, context)));
        shell.Add(new ReplCommand("ups cmd", "ups cmd NAME CMD [PARAM]", "run an instant command (upscmd)", i => Run(i, context)));
    }

    private static Task<int> List(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 0)
        {
            return Task.FromResult(i.Usage());
        }

        foreach (UpsUnit unit in context.Registry.All)
        {
            UpsState s = unit.Current;
            i.Output.WriteLine($"{unit.Name,-16} {Describe(s),-14} {s.Description}");
        }

        return Task.FromResult(0);
    }

    private static Task<int> Vars(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 1)
        {
            return Task.FromResult(i.Usage());
        }

        if (!TryFindUsable(i, context, i.Arguments[0], out UpsState? s, out int code))
        {
            return Task.FromResult(code);
        }

        foreach (UpsVariable v in s.Variables)
        {
            i.Output.WriteLine($"{v.Name}: {s.GetClientValue(v)}");
        }

        return Task.FromResult(0);
    }

    private static Task<int> Get(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 2)
        {
            return Task.FromResult(i.Usage());
        }

        if (!TryFindUsable(i, context, i.Arguments[0], out UpsState? s, out int code))
        {
            return Task.FromResult(code);
        }

        UpsVariable? v = s.Find(i.Arguments[1]);
        if (v is null)
        {
            return Task.FromResult(i.Fail($"variable '{i.Arguments[1]}' not supported by UPS '{s.Name}'"));
        }

        i.Output.WriteLine(s.GetClientValue(v));
        return Task.FromResult(0);
    }

    private static Task<int> Writable(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 1)
        {
            return Task.FromResult(i.Usage());
        }

        if (!TryFindUsable(i, context, i.Arguments[0], out UpsState? s, out int code))
        {
            return Task.FromResult(code);
        }

        foreach (UpsVariable v in s.Variables.Where(v => v.IsWritable))
        {
            string type = v.IsString ? $"STRING:{v.MaxLength}" : "NUMBER";
            string choices = !v.EnumValues.IsDefaultOrEmpty
                ? " one of " + string.Join('|', v.EnumValues)
                : !v.Ranges.IsDefaultOrEmpty
                    ? " in " + string.Join(", ", v.Ranges.Select(r => $"{r.Minimum}..{r.Maximum}"))
                    : string.Empty;
            i.Output.WriteLine($"{v.Name}: {v.Value}  [{type}{choices}]");
        }

        return Task.FromResult(0);
    }

    private static async Task<int> Set(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 3)
        {
            return i.Usage();
        }

        if (!TryFindUnit(i, context, i.Arguments[0], out UpsUnit? unit, out int code))
        {
            return code;
        }

        UpsState s = unit.Current;
        UpsVariable? v = s.Find(i.Arguments[1]);
        if (v is null)
        {
            return i.Fail($"variable '{i.Arguments[1]}' not supported by UPS '{s.Name}'");
        }

        string value = i.Arguments[2];
        switch (v.Validate(value))
        {
            case SetValidation.ReadOnly:
                return i.Fail($"{v.Name} is read-only");
            case SetValidation.TooLong:
                return i.Fail($"value is {value.Length} characters; {v.Name} takes at most {v.MaxLength}");
            case SetValidation.InvalidValue:
                string allowed = !v.EnumValues.IsDefaultOrEmpty
                    ? "one of " + string.Join(", ", v.EnumValues)
                    : "within " + string.Join(", ", v.Ranges.Select(r => $"{r.Minimum}..{r.Maximum}"));
                return i.Fail($"'{value}' is not a valid value for {v.Name}: expected {allowed}");
        }

        CommandOutcome outcome = await unit.Commands.SetVariableAsync(v.Name, value, i.CancellationToken).ConfigureAwait(false);
        return Report(i, outcome, $"{v.Name} = {value}");
    }

    private static Task<int> Commands(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count != 1)
        {
            return Task.FromResult(i.Usage());
        }

        if (!TryFindUsable(i, context, i.Arguments[0], out UpsState? s, out int code))
        {
            return Task.FromResult(code);
        }

        foreach (string c in s.Commands)
        {
            i.Output.WriteLine(c);
        }

        return Task.FromResult(0);
    }

    private static async Task<int> Run(ReplInvocation i, AgentContext context)
    {
        if (i.Arguments.Count is < 2 or > 3)
        {
            return i.Usage();
        }

        if (!TryFindUnit(i, context, i.Arguments[0], out UpsUnit? unit, out int code))
        {
            return code;
        }

        string command = i.Arguments[1];
        if (!unit.Current.HasCommand(command))
        {
            return i.Fail($"instant command '{command}' not supported by UPS '{unit.Name}' (see 'ups cmds {unit.Name}')");
        }

        string? parameter = i.Arguments.Count == 3 ? i.Arguments[2] : null;
        CommandOutcome outcome = await unit.Commands.RunInstantCommandAsync(command, parameter, i.CancellationToken).ConfigureAwait(false);
        return Report(i, outcome, command);
    }

    private static int Report(ReplInvocation i, CommandOutcome outcome, string what)
    {
        switch (outcome)
        {
            case CommandOutcome.Success:
                i.Output.WriteLine($"OK {what}");
                return 0;
            case CommandOutcome.InvalidArgument:
                return i.Fail($"the driver rejected {what}: invalid argument");
            case CommandOutcome.Failed:
                return i.Fail($"the driver failed to carry out {what}");
            default:
                return i.Fail($"the driver did not recognise {what}");
        }
    }

    private static string Describe(UpsState s) => s.DataState switch
    {
        UpsDataState.Fresh => s.StatusText,
        UpsDataState.Waiting => "WAIT",
        UpsDataState.Stale => "DATA-STALE",
        _ => "NO-DRIVER",
    };

    private static bool TryFindUnit(ReplInvocation i, AgentContext context, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsUnit? unit, out int code)
    {
        unit = context.Registry.Find(name);
        if (unit is null)
        {
            string known = string.Join(", ", context.Registry.All.Select(u => u.Name));
            code = i.Fail($"unknown UPS '{name}' (configured: {known})");
            return false;
        }

        code = 0;
        return true;
    }

    private static bool TryFindUsable(ReplInvocation i, AgentContext context, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UpsState? state, out int code)
    {
        state = null;
        if (!TryFindUnit(i, context, name, out UpsUnit? unit, out code))
        {
            return false;
        }

        UpsState s = unit.Current;
        switch (s.DataState)
        {
            case UpsDataState.Stale:
                code = i.Fail($"data for UPS '{s.Name}' is stale (the device stopped answering)");
                return false;
            case UpsDataState.NotConnected:
                code = i.Fail($"UPS '{s.Name}' has no driver connected");
                return false;
        }

        state = s;
        return true;
    }
}
