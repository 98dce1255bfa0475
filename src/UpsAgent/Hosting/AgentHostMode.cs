namespace UpsAgent.Hosting;

public enum AgentHostMode
{
    /// <summary>The resident agent: drivers, network servers and the control socket.</summary>
    Agent,

    /// <summary>A REPL with no agent running: drivers only, no listeners.</summary>
    InProcess,

    /// <summary>"shutdown simulate": drivers and the shutdown monitor, no listeners, nothing started for real.</summary>
    Rehearsal,
}
