using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using UpsAgent.Console.Repl;

namespace UpsAgent.Console.Control;

/// <summary>
/// Serves the command shell on a Unix domain socket that only the agent's user can open (mode 0600
/// in a 0700 directory), so an admin arriving over SSH can drive the running agent.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private const int MaxClients = 16;
    private readonly string _path;
    private readonly CommandShell _shell;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxClients, MaxClients);
    private Socket? _listener;
    private Task? _acceptLoop;

    public ControlServer(string path, CommandShell shell, ILogger logger)
    {
        _path = path;
        _shell = shell;
        _logger = logger;
    }

    public string SocketPath => _path;

    public void Start()
    {
        string? directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (File.Exists(_path))
        {
            if (ControlClient.IsAgentListening(_path))
            {
                throw new IOException($"another agent already listens on control socket {_path}");
            }

            File.Delete(_path); // left behind by an agent that did not stop cleanly
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_path));
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        listener.Listen(MaxClients);
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener, _stop.Token);
        _logger.LogInformation("control socket listening on {Path}", _path);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                _logger.LogWarning("control socket accept failed: {Message}", e.Message);
                continue;
            }

            if (!_slots.Wait(0))
            {
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.UTF8, false, 4096, leaveOpen: true);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\n" };
            while (!cancellationToken.IsCancellationRequested)
            {
                string? line = await ReadBoundedLineAsync(reader, cancellationToken).ConfigureAwait(false);
                if (line is null)
                {
                    return;
                }

                var output = new StringWriter { NewLine = "\n" };
                int code = await _shell.ExecuteAsync(line, output, cancellationToken).ConfigureAwait(false);
                foreach (string outputLine in output.ToString().Split('\n').SkipLast(1))
                {
                    await writer.WriteLineAsync(ControlFraming.SanitizeOutputLine(outputLine)).ConfigureAwait(false);
                }

                await writer.WriteLineAsync(ControlFraming.EndLine(code)).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the agent is stopping; nothing to report.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "control session failed");
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async Task<string?> ReadBoundedLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new char[1];
        while (true)
        {
            int n = await reader.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return line.Length > 0 ? line.ToString() : null;
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            if (line.Length >= ControlFraming.MaxRequestChars)
            {
                throw new IOException("control request line too long");
            }

            line.Append(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }

        _stop.Dispose();
    }
}
