using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// The real NUT 2.8.0 upsmon monitoring one UPS, with a private upsmon.conf, a SHUTDOWNCMD that only writes
/// a marker file and a NOTIFYCMD that appends each event to a file. upsmon keeps its PID file in the
/// compiled-in /run/nut and refuses to run twice, so each instance gets a private mount namespace with a
/// tmpfs over /run/nut.
/// </summary>
public sealed class UpsmonPeer : IAsyncDisposable
{
    private static readonly string[] NotifyTypes =
        ["ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN", "REPLBATT", "NOCOMM", "NOPARENT"];

    private readonly PeerProcess _upsmon;

    private UpsmonPeer(string directory, PeerProcess upsmon)
    {
        Directory = directory;
        _upsmon = upsmon;
    }

    public string Directory { get; }

    public string ShutdownMarker => Path.Combine(Directory, "shutdown.marker");

    public string PowerdownFlag => Path.Combine(Directory, "killpower");

    public string EventsFile => Path.Combine(Directory, "events.txt");

    public bool ShutdownCommandRan => File.Exists(ShutdownMarker);

    public bool HasExited => _upsmon.HasExited;

    public string Log => $"--- {_upsmon}\n{_upsmon.Output}\n--- events\n{string.Join('\n', Events)}";

    /// <summary>NOTIFYCMD calls so far, one per line: <c>TYPE UPSNAME message</c>.</summary>
    public IReadOnlyList<string> Events => File.Exists(EventsFile) ? File.ReadAllLines(EventsFile) : [];

    /// <param name="target"><c>ups@127.0.0.1:PORT</c></param>
    public static UpsmonPeer Start(string target, string user, string password, UpsmonRole role)
    {
        var directory = PeerDirectory.Create("upsmon-peer-");
        var notify = PeerDirectory.WriteScript(directory, "notify.sh",
            $"#!/bin/sh\necho \"$NOTIFYTYPE $UPSNAME $1\" >> '{Path.Combine(directory, "events.txt")}'\n");
        var shutdown = PeerDirectory.WriteScript(directory, "shutdown.sh",
            $"#!/bin/sh\ndate +%s.%N > '{Path.Combine(directory, "shutdown.marker")}'\n");

        var config = new StringBuilder()
            .AppendLine($"MONITOR {target} 1 {user} {password} {(role == UpsmonRole.Primary ? "primary" : "secondary")}")
            .AppendLine("MINSUPPLIES 1")
            .AppendLine($"SHUTDOWNCMD \"{shutdown}\"")
            .AppendLine($"NOTIFYCMD \"{notify}\"")
            .AppendLine($"POWERDOWNFLAG \"{Path.Combine(directory, "killpower")}\"")
            .AppendLine("POLLFREQ 1")
            .AppendLine("POLLFREQALERT 1")
            .AppendLine("HOSTSYNC 5")
            .AppendLine("DEADTIME 3")
            .AppendLine("FINALDELAY 0");
        foreach (var type in NotifyTypes)
        {
            config.AppendLine($"NOTIFYFLAG {type} SYSLOG+EXEC");
        }
        PeerDirectory.WriteFile(directory, "upsmon.conf", config.ToString(), ownerOnly: true);

        var runAs = PeerDirectory.RunningAsRoot ? "-u root" : "";
        var script =
            "set -e\n" +
            "if [ -d /run/nut ]; then mount -t tmpfs tmpfs /run/nut; else mount -t tmpfs tmpfs /run; mkdir /run/nut; fi\n" +
            $"exec {NutPaths.Upsmon} -F {runAs}\n";
        // Without root, a user namespace maps us to root inside it so the mount is allowed.
        string[] unshare = PeerDirectory.RunningAsRoot ? ["-m"] : ["-r", "-m"];
        var upsmon = PeerProcess.Start("upsmon", "/usr/bin/unshare", [.. unshare, "/bin/sh", "-c", script],
            new Dictionary<string, string> { ["NUT_CONFPATH"] = directory }, directory);
        return new UpsmonPeer(directory, upsmon);
    }

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _upsmon.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _upsmon.DisposeAsync().ConfigureAwait(false);
        PeerDirectory.TryDelete(Directory);
    }
}
