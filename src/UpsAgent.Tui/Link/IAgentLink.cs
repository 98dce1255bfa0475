namespace UpsAgent.Tui.Link;

/// <summary>The console's way to the agent: one command line in, its reply out.</summary>
public interface IAgentLink : IAsyncDisposable
{
    /// <summary>Where the agent is expected, for messages such as "no agent on ...".</summary>
    string Address { get; }

    /// <summary>Runs one command in the agent; null when no agent answers (the caller retries later).</summary>
    Task<CommandReply?> TryExecuteAsync(string line, CancellationToken cancellationToken);
}
