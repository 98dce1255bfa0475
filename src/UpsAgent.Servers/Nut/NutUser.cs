using System.Collections.Frozen;

namespace UpsAgent.Servers.Nut;

/// <summary>One [user] section of upsd.users with its rights resolved.</summary>
public sealed class NutUser
{
    private readonly FrozenSet<string> _instantCommands;
    private readonly bool _allInstantCommands;

    /// <param name="actions">Listed actions; the upsmon role adds its own.</param>
    /// <param name="instantCommands">Command names or "ALL", matched case-insensitively.</param>
    public NutUser(
        string name,
        PasswordVerifier password,
        NutAction actions = NutAction.None,
        IEnumerable<string>? instantCommands = null,
        NutUpsmonRole upsmonRole = NutUpsmonRole.None)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(password);
        Name = name;
        Password = password;
        UpsmonRole = upsmonRole;
        Actions = actions | upsmonRole switch
        {
            NutUpsmonRole.Primary => NutAction.Login | NutAction.Primary | NutAction.Fsd,
            NutUpsmonRole.Secondary => NutAction.Login,
            _ => NutAction.None,
        };
        _instantCommands = (instantCommands ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _allInstantCommands = _instantCommands.Contains("ALL");
    }

    public string Name { get; }

    public PasswordVerifier Password { get; }

    public NutUpsmonRole UpsmonRole { get; }

    /// <summary>Effective actions, including what the upsmon role implies.</summary>
    public NutAction Actions { get; }

    public IReadOnlyCollection<string> InstantCommands => _instantCommands;

    public bool Allows(NutAction action) => (Actions & action) == action;

    public bool AllowsInstantCommand(string command) => _allInstantCommands || _instantCommands.Contains(command);

    /// <summary>Maps an upsd.users action word (case-insensitive); MASTER and PRIMARY are the same right.</summary>
    public static bool TryParseAction(string word, out NutAction action)
    {
        action = word.ToUpperInvariant() switch
        {
            "SET" => NutAction.Set,
            "FSD" => NutAction.Fsd,
            "LOGIN" => NutAction.Login,
            "PRIMARY" or "MASTER" => NutAction.Primary,
            _ => NutAction.None,
        };
        return action != NutAction.None;
    }

    /// <summary>Maps the value of an "upsmon" line: primary|master or secondary|slave.</summary>
    public static bool TryParseUpsmonRole(string word, out NutUpsmonRole role)
    {
        role = word.ToUpperInvariant() switch
        {
            "PRIMARY" or "MASTER" => NutUpsmonRole.Primary,
            "SECONDARY" or "SLAVE" => NutUpsmonRole.Secondary,
            _ => NutUpsmonRole.None,
        };
        return role != NutUpsmonRole.None;
    }
}
