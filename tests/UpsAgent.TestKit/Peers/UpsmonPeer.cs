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

    public string ShutdownMarker => Peers.ShutdownMarker.MarkerPath(Directory, "shutdown");

    /// <summary>When SHUTDOWNCMD ran (wall clock), or null.</summary>
    public DateTimeOffset? ShutdownTime => Peers.ShutdownMarker.ReadTime(ShutdownMarker);

    public string PowerdownFlag => Path.Combine(Directory, "killpower");

    public string EventsFile => Path.Combine(Directory, "events.txt");

    public bool ShutdownCommandRan => File.Exists(ShutdownMarker);

    public bool HasExited => _upsmon.HasExited;

    /// <summary>What upsmon itself printed (in the foreground it logs to stderr as well as syslog).</summary>
    public string Output => _upsmon.Output;

    public string Log => $"--- {_upsmon}\n{_upsmon.Output}\n--- events\n{string.Join('\n', Events)}";

    /// <summary>NOTIFYCMD calls so far, one per line: <c>TYPE UPSNAME message</c> (with the default notify script).</summary>
    public IReadOnlyList<string> Events => File.Exists(EventsFile) ? File.ReadAllLines(EventsFile) : [];

    /// <param name="target"><c>ups@127.0.0.1:PORT</c></param>
    public static UpsmonPeer Start(string target, string user, string password, UpsmonRole role) =>
        Start(target, user, password, UpsmonOptions.Fast(role));

    /// <param name="target"><c>ups@127.0.0.1:PORT</c></param>
    public static UpsmonPeer Start(string target, string user, string password, UpsmonOptions options)
    {
        var directory = PeerDirectory.Create("upsmon-peer-");
        var notify = PeerDirectory.WriteScript(directory, "notify.sh",
            options.NotifyScript ?? $"#!/bin/sh\necho \"$NOTIFYTYPE $UPSNAME $1\" >> '{Path.Combine(directory, "events.txt")}'\n");
        var shutdown = Peers.ShutdownMarker.WriteScript(directory, "shutdown", options.ShutdownCommandTail);

        var config = new StringBuilder()
            .AppendLine($"MONITOR {target} 1 {user} {password} {(options.Role == UpsmonRole.Primary ? "primary" : "secondary")}")
            .AppendLine("MINSUPPLIES 1")
            .AppendLine($"SHUTDOWNCMD \"{shutdown}\"")
            .AppendLine($"NOTIFYCMD \"{notify}\"")
            .AppendLine($"POWERDOWNFLAG \"{Path.Combine(directory, "killpower")}\"");
        AppendIfSet(config, "POLLFREQ", options.PollFreq);
        AppendIfSet(config, "POLLFREQALERT", options.PollFreqAlert);
        AppendIfSet(config, "HOSTSYNC", options.HostSync);
        AppendIfSet(config, "DEADTIME", options.DeadTime);
        AppendIfSet(config, "FINALDELAY", options.FinalDelay);
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

    private static void AppendIfSet(StringBuilder config, string key, int? value)
    {
        if (value is { } v)
        {
            config.AppendLine($"{key} {v}");
        }
    }
}
