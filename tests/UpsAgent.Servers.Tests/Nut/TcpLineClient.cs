using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace UpsAgent.Servers.Tests.Nut;

/// <summary>A minimal NUT client over real TCP (optionally upgraded to TLS) for loopback tests.</summary>
internal sealed class TcpLineClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private TcpLineClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<TcpLineClient> ConnectAsync(IPEndPoint endpoint)
    {
        var tcp = new TcpClient(endpoint.AddressFamily) { NoDelay = true };
        await tcp.ConnectAsync(endpoint);
        return new TcpLineClient(tcp);
    }

    public Socket Socket => _tcp.Client;

    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(text));
        await _stream.FlushAsync();
    }

    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                try
                {
                    _start = 0;
                    _end = await _stream.ReadAsync(_buffer, cts.Token);
                }
                catch (IOException)
                {
                    _end = 0;
                }

                if (_end == 0)
                {
                    return null;
                }
            }

            while (_start < _end)
            {
                byte b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    return line.ToString();
                }

                line.Append((char)b);
            }
        }
    }

    public async Task<string?> RequestAsync(string line)
    {
        await SendAsync(line + "\n");
        return await ReadLineAsync();
    }

    public async Task UpgradeToTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        _stream = tls;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
