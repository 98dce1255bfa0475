namespace UpsAgent.Cli;

/// <summary>Every subcommand of the executable, in the order help lists them.</summary>
public static class Verbs
{
    public static IReadOnlyList<CliVerb> All() =>
    [
        RunVerb.Create(),
        ReplVerb.Create(),
        ConsoleVerb.Create(),
        CheckVerb.Create(),
        ShutdownVerb.Create(),
        KillpowerVerb.Create(),
        PasswdVerb.Create(),
        RaidVerb.Create(),
        IsoVerb.Create(),
        MediaVerb.Create(),
        JobVerb.Create(),
        SnmpVerb.Create(),
    ];
}
