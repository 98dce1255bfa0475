using System.IO.Pipelines;
using System.Net;
using System.Net.Security;

namespace UpsAgent.Servers.Transport;

/// <summary>
/// One accepted client as a session sees it: bytes in, bytes out, where it came from, and a way to
/// switch to TLS in place (STARTTLS). Sockets and in-memory test pipes both sit behind it.
/// </summary>
public interface IConnection : IAsyncDisposable
{
    /// <summary>The current byte pipes; replaced by <see cref="UpgradeToTlsAsync"/>.</summary>
    IDuplexPipe Transport { get; }

    EndPoint? RemoteEndPoint { get; }

    bool IsTls { get; }

    /// <summary>
    /// Runs the server side of a TLS handshake over the raw connection and replaces
    /// <see cref="Transport"/> with pipes over the encrypted stream. The caller must have flushed its
    /// output and stopped reading the old pipes.
    /// </summary>
    ValueTask UpgradeToTlsAsync(SslServerAuthenticationOptions options, CancellationToken cancellationToken);
}
