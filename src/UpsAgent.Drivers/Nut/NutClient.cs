using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using UpsAgent.Protocols.Nut;

namespace UpsAgent.Drivers.Nut;

/// <summary>
/// A client of a NUT server (upsd or another UpsAgent), as libupsclient talks to it: one request
/// line, one reply line (or a BEGIN LIST ... END LIST block), a time limit per request.
/// Not thread-safe: one caller at a time, as a monitoring loop uses it.
/// </summary>
public sealed class NutClient : IAsyncDisposable
{
    private const int MaxReplyLineBytes = 64 * 1024;
    private readonly TcpClient _tcp;
    private Stream _stream;
    private readonly byte[] _buffer = new byte[4096];
    private readonly TimeSpan _timeout;
    private int _start;
    private int _end;

    private NutClient(TcpClient tcp, string server, TimeSpan timeout)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Server = server;
        _timeout = timeout;
    }

    /// <summary>"host:port", for messages.</summary>
    public string Server { get; }

    /// <summary>Whether the session runs over TLS (the server accepted STARTTLS).</summary>
    public bool IsTls { get; private set; }

    /// <summary>
    /// Connects and, unless <paramref name="tls"/> says off, sends STARTTLS first as libupsclient does:
    /// OK starts the handshake; an ERR (a server without a certificate) leaves the session in the clear,
    /// or is an error when TLS is required.
    /// </summary>
    public static async Task<NutClient> ConnectAsync(string host, int port, TimeSpan timeout, NutTlsOptions? tls, CancellationToken cancellationToken)
    {
        NutClient client = await ConnectAsync(host, port, timeout, cancellationToken).ConfigureAwait(false);
        tls ??= NutTlsOptions.Default;
        if (tls.Mode == NutTlsMode.Off)
        {
            return client;
        }

        try
        {
            await client.StartTlsAsync(host, tls, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects in the clear (no STARTTLS).</summary>
    public static async Task<NutClient> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string server = $"{host}:{port}";
        try
        {
            await tcp.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            string why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : e.Message;
            throw new NutClientException($"cannot connect to NUT server {server}: {why}", null, e);
        }

        return new NutClient(tcp, server, timeout);
    }

    /// <summary>Sends a request and returns the words of its one-line reply; "ERR x" becomes an exception.</summary>
    public async Task<List<string>> RequestAsync(string request, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        List<string> words = await ReadWordsAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowIfError(request, words);
        return words;
    }

    /// <summary>Sends a LIST request and returns the item lines between BEGIN LIST and END LIST.</summary>
    public async Task<List<List<string>>> ListAsync(string request, CancellationToken cancellationToken)
    {
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        List<string> first = await ReadWordsAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowIfError(request, first);
        if (first.Count < 2 || first[0] != "BEGIN" || first[1] != "LIST")
        {
            throw new NutClientException($"{Server}: unexpected reply to '{request}': {string.Join(' ', first)}");
        }

        var items = new List<List<string>>();
        while (true)
        {
            List<string> words = await ReadWordsAsync(request, cancellationToken).ConfigureAwait(false);
            if (words.Count >= 2 && words[0] == "END" && words[1] == "LIST")
            {
                return items;
            }

            items.Add(words);
        }
    }

    public async Task<string> GetVariableAsync(string ups, string variable, CancellationToken cancellationToken)
    {
        List<string> words = await RequestAsync($"GET VAR {ups} {variable}", cancellationToken).ConfigureAwait(false);
        return words.Count >= 4 && words[0] == "VAR" ? words[3] : throw Unexpected("GET VAR", words);
    }

    public async Task<Dictionary<string, string>> ListVariablesAsync(string ups, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (List<string> item in await ListAsync($"LIST VAR {ups}", cancellationToken).ConfigureAwait(false))
        {
            if (item.Count >= 4 && item[0] == "VAR")
            {
                values[item[2]] = item[3];
            }
        }

        return values;
    }

    public async Task<int> GetLoginCountAsync(string ups, CancellationToken cancellationToken)
    {
        List<string> words = await RequestAsync($"GET NUMLOGINS {ups}", cancellationToken).ConfigureAwait(false);
        return words.Count >= 3 && words[0] == "NUMLOGINS" && int.TryParse(words[2], out int n) ? n : throw Unexpected("GET NUMLOGINS", words);
    }

    /// <summary>USERNAME, PASSWORD and LOGIN as upsmon sends them; each must be answered with OK.</summary>
    public async Task LoginAsync(string user, string password, string ups, CancellationToken cancellationToken)
    {
        await ExpectOkAsync($"USERNAME {Quote(user)}", cancellationToken).ConfigureAwait(false);
        await ExpectOkAsync($"PASSWORD {Quote(password)}", cancellationToken).ConfigureAwait(false);
        await ExpectOkAsync($"LOGIN {ups}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PRIMARY, falling back to MASTER for servers older than 2.8.0, as upsmon does.</summary>
    public async Task ClaimPrimaryAsync(string ups, CancellationToken cancellationToken)
    {
        try
        {
            await ExpectOkAsync($"PRIMARY {ups}", cancellationToken).ConfigureAwait(false);
        }
        catch (NutClientException e) when (e.Error is "UNKNOWN-COMMAND")
        {
            await ExpectOkAsync($"MASTER {ups}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartTlsAsync(string host, NutTlsOptions tls, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? roots = tls.Verify && tls.CaFile is { } caFile ? ReadRoots(caFile) : null;
        await SendAsync("STARTTLS", cancellationToken).ConfigureAwait(false);
        List<string> words = await ReadWordsAsync("STARTTLS", cancellationToken).ConfigureAwait(false);
        if (words is not ["OK", "STARTTLS", ..])
        {
            if (tls.Mode == NutTlsMode.Required)
            {
                string reply = words.Count == 0 ? "an empty line" : $"'{string.Join(' ', words)}'";
                throw new NutClientException($"{Server} will not start TLS (it answered STARTTLS with {reply}) and TLS is required");
            }

            return;
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => Trusted(tls.Verify, roots, certificate, errors));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host, CertificateRevocationCheckMode = X509RevocationMode.NoCheck },
                limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            string why = e is OperationCanceledException ? $"no handshake within {_timeout.TotalSeconds:0} s" : e.Message;
            throw new NutClientException($"TLS with {Server} failed: {why}", null, e);
        }

        _stream = ssl;
        _start = _end = 0;
        IsTls = true;
    }

    // CERTVERIFY off takes any certificate, as upsmon does. On: the server must be named in its
    // certificate, and the chain must end at a root of the CA file (or of the system without one).
    private static bool Trusted(bool verify, X509Certificate2Collection? roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!verify)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        if (roots is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private X509Certificate2Collection ReadRoots(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new NutClientException($"cannot read the CA file {caFile} to verify {Server}: {e.Message}", null, e);
        }

        return roots.Count > 0 ? roots : throw new NutClientException($"the CA file {caFile} holds no PEM certificate to verify {Server} with");
    }

    public Task ExpectOkAsync(string request, CancellationToken cancellationToken) => ExpectOkCoreAsync(request, cancellationToken);

    private async Task ExpectOkCoreAsync(string request, CancellationToken cancellationToken)
    {
        List<string> words = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (words.Count == 0 || words[0] != "OK")
        {
            throw Unexpected(request.Split(' ')[0], words);
        }
    }

    private static string Quote(string value) => "\"" + NutQuoting.Escape(value) + "\"";

    private NutClientException Unexpected(string request, List<string> words) =>
        new($"{Server}: unexpected reply to {request}: '{string.Join(' ', words)}'");

    private void ThrowIfError(string request, List<string> words)
    {
        if (words.Count >= 1 && words[0] == "ERR")
        {
            string error = words.Count >= 2 ? words[1] : "UNKNOWN";
            string shown = request.StartsWith("PASSWORD", StringComparison.OrdinalIgnoreCase) ? "PASSWORD ..." : request;
            throw new NutClientException($"{Server} refused '{shown}': ERR {error}", error);
        }
    }

    private async Task SendAsync(string request, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(request + "\n");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            await _stream.WriteAsync(bytes, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw new NutClientException($"{Server}: connection lost while sending: {e.Message}", null, e);
        }
    }

    private async Task<List<string>> ReadWordsAsync(string request, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        var line = new List<byte>();
        try
        {
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await _stream.ReadAsync(_buffer, limit.Token).ConfigureAwait(false);
                    if (_end == 0)
                    {
                        throw new NutClientException($"{Server} closed the connection (request '{request.Split(' ')[0]}')");
                    }
                }

                int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.AddRange(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    if (line.Count > MaxReplyLineBytes)
                    {
                        throw new NutClientException($"{Server}: reply line longer than {MaxReplyLineBytes} bytes");
                    }

                    continue;
                }

                line.AddRange(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return NutReplyWords.Split(Encoding.UTF8.GetString(line.ToArray()));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            string why = e is OperationCanceledException ? $"no reply within {_timeout.TotalSeconds:0} s" : e.Message;
            throw new NutClientException($"{Server}: {why} (request '{request.Split(' ')[0]}')", null, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }
}
