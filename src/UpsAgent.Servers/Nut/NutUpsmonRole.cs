namespace UpsAgent.Servers.Nut;

/// <summary>The "upsmon primary|secondary" line of upsd.users, which implies actions.</summary>
public enum NutUpsmonRole
{
    None,

    /// <summary>Also "master": adds LOGIN, PRIMARY/MASTER and FSD.</summary>
    Primary,

    /// <summary>Also "slave": adds LOGIN.</summary>
    Secondary,
}
