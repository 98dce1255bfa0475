using System.Net.Sockets;
using UpsAgent.Console.Control;

namespace UpsAgent.Tui.Link;

/// <summary>
/// A connection to the agent's control socket that reconnects on demand: when the agent is not
/// running, or restarts, the next command simply tries again. Commands on one link run one at a time
/// (the control protocol is request/reply on one stream).
/// </summary>
public sealed class SocketAgentLink(string socketPath) : IAgentLink
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ControlClient? _client;

    public string Address => socketPath;

    public async Task<CommandReply?> TryExecuteAsync(string line, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _client ??= ControlClient.TryConnect(socketPath);
            if (_client is null)
            {
                return null;
            }

            var output = new StringWriter { NewLine = "\n" };
            try
            {
                int code = await _client.ExecuteAsync(line, output, cancellationToken).ConfigureAwait(false);
                return new CommandReply(code, output.ToString().Split('\n').SkipLast(1).ToArray());
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The agent stopped or restarted: forget this connection, the next call reconnects.
                await _client.DisposeAsync().ConfigureAwait(false);
                _client = null;
                return null;
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        _oneAtATime.Dispose();
    }
}
