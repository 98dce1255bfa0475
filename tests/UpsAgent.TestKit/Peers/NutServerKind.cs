namespace UpsAgent.TestKit.Peers;

public enum NutServerKind
{
    /// <summary>The reference: NUT 2.8.0 upsd fed by one dummy-ups driver per UPS.</summary>
    Upsd,

    /// <summary>upsagent serving the same device files with its simulated driver.</summary>
    UpsAgent,
}
