using System.Text;
using UpsAgent.Drivers.Snmp;
using UpsAgent.Interop.Tests.Snmp;
using UpsAgent.Protocols.Snmp;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.SnmpManager;

/// <summary>
/// snmpsimd (Debian package snmpsim) on a free 127.0.0.1 port, serving the recorded cards in
/// hw/captures/snmp: the community (v1/v2c) or the context name (v3) picks the .snmprec file.
/// One SNMPv3 user: upsuser, SHA / AES, "authpass123" / "privpass123". Can be stopped and started
/// again on the same port.
/// </summary>
public sealed class SnmpSimPeer : IAsyncDisposable
{
    public const string Program = "/usr/bin/snmpsimd";
    public const string V3User = "upsuser";
    public const string V3AuthPassword = "authpass123";
    public const string V3PrivPassword = "privpass123";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly ScratchDirectory _directory;
    private PeerProcess? _process;

    private SnmpSimPeer(ScratchDirectory directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public static bool Installed => File.Exists(Program);

    public int Port { get; }

    public string Log => $"--- snmpsimd\n{_process?.Output}";

    public static async Task<SnmpSimPeer> StartAsync()
    {
        string captures = Captures ?? throw new InvalidOperationException("hw/captures/snmp not found above the test directory");
        var failures = new StringBuilder();
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var scratch = new ScratchDirectory("snmpsim-");
            string data = Directory.CreateDirectory(Path.Combine(scratch.Path, "data")).FullName;
            string cache = Directory.CreateDirectory(Path.Combine(scratch.Path, "cache")).FullName;
            foreach (string file in Directory.GetFiles(captures, "*.snmprec"))
            {
                File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
            }

            // As root snmpsimd drops to nobody, who must read the data and write the cache.
            foreach (string path in new[] { scratch.Path, data, cache })
            {
                File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
            }

            var peer = new SnmpSimPeer(scratch, FreeUdpPort.Next());
            string? problem = await peer.StartProcessAsync().ConfigureAwait(false);
            if (problem is null)
            {
                return peer;
            }

            failures.AppendLine($"attempt {attempt} (udp {peer.Port}): {problem}").AppendLine(peer.Log);
            await peer.DisposeAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException($"snmpsimd did not come up:\n{failures}");
    }

    /// <summary>Starts snmpsimd again on the same port after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync()
    {
        string? problem = null;
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            problem = await StartProcessAsync().ConfigureAwait(false);
            if (problem is null)
            {
                return;
            }

            await StopAsync().ConfigureAwait(false);
            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"snmpsimd did not come back on {Port}: {problem}\n{Log}");
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    private async Task<string?> StartProcessAsync()
    {
        string root = _directory.Path;
        _process = PeerProcess.Start("snmpsimd", Program,
        [
            $"--data-dir={Path.Combine(root, "data")}",
            $"--cache-dir={Path.Combine(root, "cache")}",
            "--v3-engine-id=8000000001020304",
            $"--v3-user={V3User}", $"--v3-auth-key={V3AuthPassword}", "--v3-auth-proto=SHA",
            $"--v3-priv-key={V3PrivPassword}", "--v3-priv-proto=AES",
            $"--agent-udpv4-endpoint=127.0.0.1:{Port}",
            "--process-user=nobody", "--process-group=nogroup",
        ]);
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return $"snmpsimd exited with code {_process.ExitCode}";
            }

            try
            {
                await using var client = new SnmpClient(
                    await UdpSnmpTransport.ConnectAsync("127.0.0.1", Port, CancellationToken.None).ConfigureAwait(false),
                    new CommunityMessageModel(SnmpVersion.V2c, "public"),
                    new SnmpClientOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
                SnmpPdu answer = await client.GetAsync([SnmpUpsMappings.SysObjectId], CancellationToken.None).ConfigureAwait(false);
                if (answer.VarBinds.Count == 1 && answer.VarBinds[0].Value.Type == SnmpType.ObjectIdentifier)
                {
                    return null;
                }
            }
            catch (SnmpClientException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return $"no answer on 127.0.0.1:{Port} after {ReadyTimeout.TotalSeconds} s";
    }

    /// <summary>hw/captures/snmp of the checkout the tests run from.</summary>
    public static string? Captures
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UpsAgent.sln")))
                {
                    string path = Path.Combine(dir.FullName, "hw", "captures", "snmp");
                    return Directory.Exists(path) ? path : null;
                }
            }

            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
