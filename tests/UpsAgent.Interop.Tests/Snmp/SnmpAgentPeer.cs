using System.Net.Sockets;
using System.Text;
using UpsAgent.Protocols.Snmp;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// <c>upsagent run --listen-snmp 127.0.0.1:PORT --listen-nut 127.0.0.1:PORT2 --control-socket DIR/ctl.sock</c>
/// from a private directory, optionally with a config file naming a device dump for the simulated UPS.
/// Ready once upsBatteryStatus answers with data (not unknown).
/// </summary>
public sealed class SnmpAgentPeer : IAsyncDisposable
{
    private const int Attempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly PeerProcess _agent;

    private readonly ScratchDirectory _directory;

    private SnmpAgentPeer(ScratchDirectory directory, int snmpPort, int nutPort, PeerProcess agent)
    {
        _directory = directory;
        Directory = directory.Path;
        SnmpPort = snmpPort;
        NutPort = nutPort;
        _agent = agent;
    }

    public string Directory { get; }

    public int SnmpPort { get; }

    public int NutPort { get; }

    public string Target => $"127.0.0.1:{SnmpPort}";

    public string Log => $"--- upsagent\n{_agent.Output}";

    /// <param name="deviceDump">upsc-style variables for the simulated UPS; null for the built-in default UPS.</param>
    /// <param name="extraConfig">More sections for the config file (e.g. [snmp]); needs or implies a config file.</param>
    /// <param name="community">The community the readiness probe uses.</param>
    /// <param name="deviceFileName">ups.dev, or a name ending in .seq for a sequence with TIMER steps.</param>
    /// <param name="upsOptions">More lines for the [ups ups] section (e.g. mode = once).</param>
    public static async Task<SnmpAgentPeer> StartAsync(string? deviceDump = null, string? extraConfig = null, string community = "public",
        string deviceFileName = "ups.dev", string upsOptions = "")
    {
        var failures = new StringBuilder();
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            var scratch = new ScratchDirectory("upsagent-snmp-");
            string directory = scratch.Path;
            int snmpPort = FreeUdpPort.Next();
            int nutPort = FreeTcpPort.Next();
            var arguments = new List<string>
            {
                UpsAgentPeer.DefaultAssembly, "run",
                "--listen-snmp", $"127.0.0.1:{snmpPort}",
                "--listen-nut", $"127.0.0.1:{nutPort}",
                "--control-socket", Path.Combine(directory, "ctl.sock"),
            };
            if (deviceDump is not null || extraConfig is not null)
            {
                string device = scratch.File(deviceFileName);
                string upsSection = "[ups ups]\ndriver = simulated\n" + upsOptions + "\n";
                if (deviceDump is not null)
                {
                    File.WriteAllText(device, deviceDump + "\n");
                    upsSection += $"file = {device}\n";
                }

                string config = scratch.File("upsagent.conf");
                File.WriteAllText(config, upsSection + "\n" + (extraConfig ?? string.Empty) + "\n");
                arguments.InsertRange(2, ["--config", config]);
            }

            PeerProcess agent = PeerProcess.Start("upsagent", DotnetHost, arguments, workingDirectory: directory);
            var peer = new SnmpAgentPeer(scratch, snmpPort, nutPort, agent);
            string? problem = await peer.WaitUntilServingAsync(community).ConfigureAwait(false);
            if (problem is null)
            {
                return peer;
            }

            failures.AppendLine($"attempt {attempt} (udp {snmpPort}, tcp {nutPort}): {problem}").AppendLine(peer.Log);
            await peer.DisposeAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException($"upsagent with SNMP did not come up:\n{failures}");
    }

    /// <summary>
    /// Runs one net-snmp tool with numeric OIDs and no MIB loading (Debian ships no MIB files by
    /// default), keeping its persistent files (v3 engine caches) in the private directory.
    /// </summary>
    public Task<ToolResult> RunToolAsync(string tool, params string[] arguments) =>
        NutTool.RunProgramAsync("/usr/bin/env", tool,
            [$"SNMP_PERSISTENT_DIR={System.IO.Path.Combine(Directory, "net-snmp")}", $"/usr/bin/{tool}", "-m", "", "-On", .. arguments], TimeSpan.FromSeconds(30));

    /// <summary>Waits until upsc reports <paramref name="expected"/> for a variable (the simulated UPS moves on its own clock).</summary>
    public async Task<string> WaitForUpscAsync(string variable, Func<string, bool> expected, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{NutPort}", variable).ConfigureAwait(false);
            last = upsc.StdOut.Trim();
            if (upsc.ExitCode == 0 && expected(last))
            {
                return last;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{variable} stayed '{last}' for {timeout.TotalSeconds} s\n{Log}");
    }

    private async Task<string?> WaitUntilServingAsync(string community)
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect("127.0.0.1", SnmpPort);
        byte[] probe = SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, System.Text.Encoding.ASCII.GetBytes(community),
            new SnmpPdu(SnmpPduType.GetRequest, 1, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.2.1.0"), SnmpValue.Null)])));
        DateTime deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_agent.HasExited)
            {
                return $"upsagent exited with code {_agent.ExitCode}";
            }

            try
            {
                await client.SendAsync(probe).ConfigureAwait(false);
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                UdpReceiveResult answer = await client.ReceiveAsync(wait.Token).ConfigureAwait(false);
                if (SnmpMessageCodec.TryDecode(answer.Buffer, out SnmpMessage? message, out _)
                    && message.Pdu.VarBinds.Count == 1
                    && message.Pdu.VarBinds[0].Value is { Type: SnmpType.Integer } status
                    && status.Number != 1)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return $"no SNMP answer with UPS data on {Target} after {ReadyTimeout.TotalSeconds} s";
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }
}
