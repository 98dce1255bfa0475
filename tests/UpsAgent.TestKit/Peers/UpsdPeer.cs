using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// The reference server: NUT 2.8.0 upsd on a free loopback port with one dummy-ups per UPS, all configured
/// from a private directory through NUT_CONFPATH / NUT_STATEPATH / NUT_ALTPIDPATH and run in the foreground.
/// </summary>
public sealed class UpsdPeer : INutServerPeer
{
    private const int Attempts = 3;

    private readonly List<PeerProcess> _drivers;
    private readonly PeerProcess _upsd;

    private UpsdPeer(string directory, int port, List<PeerProcess> drivers, PeerProcess upsd)
    {
        Directory = directory;
        Port = port;
        _drivers = drivers;
        _upsd = upsd;
    }

    public NutServerKind Kind => NutServerKind.Upsd;

    public int Port { get; }

    public int ServerProcessId => _upsd.Id;

    public string Directory { get; }

    public string Log
    {
        get
        {
            var log = new StringBuilder();
            foreach (var process in _drivers.Append(_upsd))
            {
                log.Append("--- ").Append(process).AppendLine().Append(process.Output);
            }
            return log.ToString();
        }
    }

    public static async Task<UpsdPeer> StartAsync(NutSetup setup)
    {
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var directory = PeerDirectory.Create("upsd-peer-");
            var port = FreeTcpPort.Next();
            var drivers = new List<PeerProcess>();
            PeerProcess? upsd = null;
            try
            {
                WriteConfiguration(directory, port, setup);
                var environment = Environment(directory);
                var runAs = PeerDirectory.RunningAsRoot ? new[] { "-u", "root" } : [];
                foreach (var ups in setup.Ups)
                {
                    drivers.Add(PeerProcess.Start($"dummy-ups {ups.Name}", NutPaths.DummyUps,
                        ["-a", ups.Name, "-F", .. runAs], environment, directory));
                }
                await WaitForDriverSocketsAsync(directory, setup, drivers).ConfigureAwait(false);
                upsd = PeerProcess.Start("upsd", NutPaths.Upsd, ["-F", .. runAs], environment, directory);
                var problem = await NutReadiness.WaitAsync(port, setup.Ups.Select(u => u.Name), upsd).ConfigureAwait(false);
                if (problem is null)
                {
                    return new UpsdPeer(directory, port, drivers, upsd);
                }
                var log = new UpsdPeer(directory, port, drivers, upsd).Log;
                await StopAllAsync(directory, drivers, upsd).ConfigureAwait(false);
                failures.AppendLine($"attempt {attempt} on port {port}: {problem}").AppendLine(log);
                if (!NutReadiness.LostPortRace(log))
                {
                    break;
                }
            }
            catch
            {
                await StopAllAsync(directory, drivers, upsd).ConfigureAwait(false);
                throw;
            }
        }
        throw new InvalidOperationException($"upsd did not come up:\n{failures}");
    }

    public async ValueTask DisposeAsync() => await StopAllAsync(Directory, _drivers, _upsd).ConfigureAwait(false);

    public override string ToString() => $"upsd on {((INutServerPeer)this).HostPort}";

    private static async Task StopAllAsync(string directory, List<PeerProcess> drivers, PeerProcess? upsd)
    {
        // upsd first, so it does not log the drivers going away.
        if (upsd is not null)
        {
            await upsd.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var driver in drivers)
        {
            await driver.DisposeAsync().ConfigureAwait(false);
        }
        PeerDirectory.TryDelete(directory);
    }

    private static Dictionary<string, string> Environment(string directory) => new()
    {
        ["NUT_CONFPATH"] = directory,
        ["NUT_STATEPATH"] = Path.Combine(directory, "state"),
        ["NUT_ALTPIDPATH"] = Path.Combine(directory, "run"),
    };

    private static void WriteConfiguration(string directory, int port, NutSetup setup)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "state"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "run"));

        var ups = new StringBuilder();
        foreach (var u in setup.Ups)
        {
            // dummy-ups needs an absolute port= path: with a relative one its first stat() ignores
            // NUT_CONFPATH and a once-mode sequence is played twice.
            var device = PeerDirectory.CopyDevice(directory, u);
            ups.AppendLine($"[{u.Name}]")
                .AppendLine("\tdriver = dummy-ups")
                .AppendLine($"\tport = \"{device}\"")
                .AppendLine($"\tmode = {(u.Mode == DevicePlayMode.Once ? "dummy-once" : "dummy-loop")}")
                .AppendLine($"\tdesc = \"{u.Description}\"");
        }
        PeerDirectory.WriteFile(directory, "ups.conf", ups.ToString());
        PeerDirectory.WriteFile(directory, "upsd.conf", $"LISTEN 127.0.0.1 {port}\n", ownerOnly: true);
        PeerDirectory.WriteFile(directory, "nut.conf", "MODE=standalone\n");

        var users = new StringBuilder();
        foreach (var user in setup.Users)
        {
            users.AppendLine($"[{user.Name}]").AppendLine($"\tpassword = \"{user.Password}\"");
            if (user.Actions.Count > 0)
            {
                users.AppendLine($"\tactions = {string.Join(' ', user.Actions)}");
            }
            foreach (var command in user.InstCmds)
            {
                users.AppendLine($"\tinstcmds = {command}");
            }
            if (user.Upsmon != UpsmonRole.None)
            {
                users.AppendLine($"\tupsmon {(user.Upsmon == UpsmonRole.Primary ? "primary" : "secondary")}");
            }
        }
        PeerDirectory.WriteFile(directory, "upsd.users", users.ToString(), ownerOnly: true);
    }

    /// <summary>upsd reports "Driver not connected" until the driver's socket exists, so wait for it.</summary>
    private static async Task WaitForDriverSocketsAsync(string directory, NutSetup setup, List<PeerProcess> drivers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var (ups, driver) in setup.Ups.Zip(drivers))
        {
            var socket = Path.Combine(directory, "state", $"dummy-ups-{ups.Name}");
            while (!File.Exists(socket))
            {
                if (driver.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"dummy-ups for {ups.Name} did not create {socket}:\n{driver.Output}");
                }
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }
}
