namespace UpsAgent.TestKit.Peers;

/// <summary>A running NUT-protocol server on 127.0.0.1 that a test can talk to and must dispose.</summary>
public interface INutServerPeer : IAsyncDisposable
{
    NutServerKind Kind { get; }

    int Port { get; }

    /// <summary>The address as NUT clients write it: <c>127.0.0.1:PORT</c>.</summary>
    string HostPort => $"127.0.0.1:{Port}";

    /// <summary>The process that answers the NUT protocol (upsd itself, not its drivers).</summary>
    int ServerProcessId { get; }

    /// <summary>The private directory holding the configuration, state and scratch files.</summary>
    string Directory { get; }

    /// <summary>Captured output of every process of this peer, for failure messages.</summary>
    string Log { get; }

    /// <summary><c>ups@127.0.0.1:PORT</c> for one of the served UPSes.</summary>
    string Target(string upsName) => $"{upsName}@{HostPort}";
}
