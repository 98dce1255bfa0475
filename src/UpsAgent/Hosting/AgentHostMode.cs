namespace UpsAgent.Hosting;

public enum AgentHostMode
{
    /// <summary>The resident agent: drivers, network servers and the control socket.</summary>
    Agent,

    /// <summary>A REPL with no agent running: drivers only, no listeners.</summary>
    InProcess,
}
