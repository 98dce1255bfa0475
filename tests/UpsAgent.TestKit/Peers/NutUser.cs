namespace UpsAgent.TestKit.Peers;

/// <summary>A user as upsd.users knows it: actions (SET, FSD...), instant commands (or ALL) and an upsmon role.</summary>
public sealed record NutUser(string Name, string Password, IReadOnlyList<string> Actions,
    IReadOnlyList<string> InstCmds, UpsmonRole Upsmon = UpsmonRole.None)
{
    public static NutUser Admin(string name, string password) => new(name, password, ["SET", "FSD"], ["ALL"]);

    public static NutUser Viewer(string name, string password) => new(name, password, [], []);

    public static NutUser Monitor(string name, string password, UpsmonRole role) => new(name, password, [], [], role);
}
