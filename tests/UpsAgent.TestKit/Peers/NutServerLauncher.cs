namespace UpsAgent.TestKit.Peers;

/// <summary>Starts either server from the same setup, so a scenario can run against both.</summary>
public static class NutServerLauncher
{
    public static async Task<INutServerPeer> StartAsync(NutServerKind kind, NutSetup setup, string? agentAssembly = null) =>
        kind switch
        {
            NutServerKind.Upsd => await UpsdPeer.StartAsync(setup).ConfigureAwait(false),
            NutServerKind.UpsAgent => await UpsAgentPeer.StartAsync(setup, agentAssembly).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown server kind"),
        };
}
