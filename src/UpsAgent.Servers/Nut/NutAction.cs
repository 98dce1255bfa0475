namespace UpsAgent.Servers.Nut;

/// <summary>The "actions" of upsd.users. PRIMARY and MASTER are one right under two names.</summary>
[Flags]
public enum NutAction
{
    None = 0,
    Set = 1,
    Fsd = 2,
    Login = 4,
    Primary = 8,
}
