using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Text;
using UpsAgent.Servers.Transport;

namespace UpsAgent.TestKit.Transport;

/// <summary>The client end of an <see cref="InMemoryConnection"/>: send lines, read reply lines.</summary>
public sealed class InMemoryClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly PipeReader _rawInput;
    private readonly PipeWriter _rawOutput;
    private IDuplexPipe _transport;
    private SslStream? _tls;

    internal InMemoryClient(PipeReader input, PipeWriter output)
    {
        _rawInput = input;
        _rawOutput = output;
        _transport = new DuplexPipe(input, output);
    }

    /// <summary>Sends text as bytes (chars above 0xFF are not expected; Latin-1 keeps raw bytes testable).</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        FlushResult result = await _transport.Output.WriteAsync(bytes).ConfigureAwait(false);
        _ = result;
    }

    /// <summary>Reads one reply line without its LF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        PipeReader input = _transport.Input;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No reply line within {timeout ?? DefaultTimeout}.");
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            if (newline is { } end)
            {
                string line = Encoding.Latin1.GetString(buffer.Slice(0, end));
                input.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Sends a request line (LF added) and reads one reply line.</summary>
    public async Task<string?> RequestAsync(string line, TimeSpan? timeout = null)
    {
        await SendAsync(line + "\n").ConfigureAwait(false);
        return await ReadLineAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Sends a LIST request and reads through END LIST (or a single ERR line).</summary>
    public async Task<List<string>> RequestListAsync(string line, TimeSpan? timeout = null)
    {
        await SendAsync(line + "\n").ConfigureAwait(false);
        var lines = new List<string>();
        while (true)
        {
            string? reply = await ReadLineAsync(timeout).ConfigureAwait(false);
            if (reply is null)
            {
                return lines;
            }

            lines.Add(reply);
            if (reply.StartsWith("END LIST", StringComparison.Ordinal) || (lines.Count == 1 && reply.StartsWith("ERR ", StringComparison.Ordinal)))
            {
                return lines;
            }
        }
    }

    /// <summary>True when the server closes within the timeout (any unread replies are skipped).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        PipeReader input = _transport.Input;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(cts.Token).ConfigureAwait(false);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// Reads everything the server sends until it closes or <paramref name="cancellationToken"/>
    /// fires, handing each chunk to <paramref name="observe"/>; returns the byte count.
    /// </summary>
    public async Task<long> DrainAsync(Action<ReadOnlySequence<byte>>? observe, CancellationToken cancellationToken)
    {
        long total = 0;
        PipeReader input = _transport.Input;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                observe?.Invoke(result.Buffer);
                total += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return total;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return total;
        }
    }

    /// <summary>Closes the client's sending side, as a client process that exits would.</summary>
    public async Task CloseSendingAsync() => await _transport.Output.CompleteAsync().ConfigureAwait(false);

    public async Task UpgradeToTlsAsync(string targetHost, RemoteCertificateValidationCallback? validate = null)
    {
        var tls = new SslStream(new DuplexPipeStream(_rawInput, _rawOutput), leaveInnerStreamOpen: true,
            validate ?? ((_, _, _, _) => true));
        _tls = tls;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }).ConfigureAwait(false);
        _transport = new DuplexPipe(
            PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)));
    }

    public SslStream? Tls => _tls;

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
        }

        await _rawInput.CompleteAsync().ConfigureAwait(false);
        await _rawOutput.CompleteAsync().ConfigureAwait(false);
    }
}
