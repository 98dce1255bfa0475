using System.Text;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests.Snmp;

/// <summary>
/// NUT's snmp-ups driver polling an SNMP agent, published by a real upsd: both from /lib/nut, in the
/// foreground, configured from a private directory through NUT_CONFPATH / NUT_STATEPATH /
/// NUT_ALTPIDPATH, the way the NUT server tests run dummy-ups. Ready once upsc reads ups.status.
/// </summary>
public sealed class SnmpUpsdPeer : IAsyncDisposable
{
    public const string SnmpUps = "/lib/nut/snmp-ups";

    private readonly ScratchDirectory _directory;
    private readonly PeerProcess _driver;
    private readonly PeerProcess _upsd;

    private SnmpUpsdPeer(ScratchDirectory directory, int port, PeerProcess driver, PeerProcess upsd)
    {
        _directory = directory;
        Port = port;
        _driver = driver;
        _upsd = upsd;
    }

    public int Port { get; }

    public string Log => $"--- snmp-ups\n{_driver.Output}\n--- upsd\n{_upsd.Output}";

    /// <param name="target">The agent, HOST:PORT.</param>
    /// <param name="mibs">ietf or auto.</param>
    public static async Task<SnmpUpsdPeer> StartAsync(string target, string mibs)
    {
        var directory = new ScratchDirectory("snmp-upsd-");
        int port = FreeTcpPort.Next();
        string state = directory.File("state");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(directory.File("run"));

        // As root the daemons would drop to user nut; -u root keeps them able to use the private directory.
        File.SetUnixFileMode(state, (UnixFileMode)0b111_111_111);
        File.WriteAllText(directory.File("ups.conf"),
            $"[ups]\n\tdriver = snmp-ups\n\tport = {target}\n\tmibs = {mibs}\n\tcommunity = public\n\tpollfreq = 1\n\tpollinterval = 1\n");
        File.WriteAllText(directory.File("upsd.conf"), $"LISTEN 127.0.0.1 {port}\n");
        File.WriteAllText(directory.File("upsd.users"), string.Empty);
        File.WriteAllText(directory.File("nut.conf"), "MODE=standalone\n");
        var environment = new Dictionary<string, string>
        {
            ["NUT_CONFPATH"] = directory.Path,
            ["NUT_STATEPATH"] = state,
            ["NUT_ALTPIDPATH"] = directory.File("run"),
        };
        string[] runAs = Environment.UserName == "root" ? ["-u", "root"] : [];
        PeerProcess driver = PeerProcess.Start("snmp-ups", SnmpUps, ["-a", "ups", "-F", .. runAs], environment, directory.Path);
        PeerProcess? upsd = null;
        try
        {
            string socket = Path.Combine(state, "snmp-ups-ups");
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(socket))
            {
                if (driver.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"snmp-ups did not create {socket}:\n{driver.Output}");
                }

                await Task.Delay(50).ConfigureAwait(false);
            }

            upsd = PeerProcess.Start("upsd", NutPaths.Upsd, ["-F", .. runAs], environment, directory.Path);
            var peer = new SnmpUpsdPeer(directory, port, driver, upsd);
            while (DateTime.UtcNow < deadline)
            {
                ToolResult status = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{port}", "ups.status").ConfigureAwait(false);
                if (status.ExitCode == 0 && status.StdOut.Trim().Length > 0)
                {
                    return peer;
                }

                if (upsd.HasExited || driver.HasExited)
                {
                    break;
                }

                await Task.Delay(200).ConfigureAwait(false);
            }

            throw new InvalidOperationException($"upsd never published the snmp-ups UPS:\n{peer.Log}");
        }
        catch
        {
            if (upsd is not null)
            {
                await upsd.DisposeAsync().ConfigureAwait(false);
            }

            await driver.DisposeAsync().ConfigureAwait(false);
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Every variable upsd publishes for the UPS (upsc ups@HOST:PORT).</summary>
    public async Task<Dictionary<string, string>> VariablesAsync()
    {
        ToolResult upsc = await NutTool.RunAsync("upsc", $"ups@127.0.0.1:{Port}").ConfigureAwait(false);
        return Parse(upsc.ExitCode == 0 ? upsc.StdOut : string.Empty);
    }

    public static Dictionary<string, string> Parse(string upsc)
    {
        var values = new Dictionary<string, string>();
        foreach (string line in upsc.Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon]] = line[(colon + 2)..].Trim();
            }
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        // upsd first, so it does not log the driver going away.
        await _upsd.DisposeAsync().ConfigureAwait(false);
        await _driver.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }

    public override string ToString() => new StringBuilder("snmp-ups + upsd on 127.0.0.1:").Append(Port).ToString();
}
