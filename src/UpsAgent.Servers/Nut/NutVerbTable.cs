using System.Collections.Immutable;
using System.Text;

namespace UpsAgent.Servers.Nut;

/// <summary>
/// The request verbs, in upsd's order (server/netcmds.h). "RequiresUser" is upsd's FLAG_USER:
/// USERNAME and PASSWORD must have been sent (not checked) before the handler runs.
/// </summary>
internal static class NutVerbTable
{
    public static ImmutableArray<NutVerb> Verbs { get; } =
    [
        new("VER", false, NutMiscCommands.Version),
        new("NETVER", false, NutMiscCommands.NetworkVersion),
        new("PROTVER", false, NutMiscCommands.NetworkVersion),
        new("HELP", false, NutMiscCommands.Help),
        new("STARTTLS", false, NutMiscCommands.StartTls),
        new("GET", false, NutGetCommands.Get),
        new("LIST", false, NutListCommands.List),
        new("USERNAME", false, NutUserCommands.UserName),
        new("PASSWORD", false, NutUserCommands.Password),
        new("LOGIN", true, NutUserCommands.Login),
        new("LOGOUT", false, NutMiscCommands.Logout),
        new("PRIMARY", true, NutUserCommands.Primary),
        new("MASTER", true, NutUserCommands.Master),
        new("FSD", true, NutUserCommands.ForcedShutdown),
        new("SET", true, NutSetCommands.Set),
        new("INSTCMD", true, NutInstantCommand.Run),
    ];

    /// <summary>Finds a verb by its first word, ignoring ASCII case (upsd uses strcasecmp).</summary>
    public static NutVerb? Find(ReadOnlySpan<byte> word)
    {
        foreach (NutVerb verb in Verbs)
        {
            if (word.Length == verb.Name.Length && Ascii.EqualsIgnoreCase(word, verb.Name))
            {
                return verb;
            }
        }

        return null;
    }
}
