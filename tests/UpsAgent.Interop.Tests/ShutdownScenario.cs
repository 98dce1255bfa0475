using System.Diagnostics;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// Pieces the shutdown interop tests share: upsagent's [shutdown] and [monitor] sections, the NUT notify
/// script, NUMLOGINS watching and bounded waits for marker files.
/// </summary>
internal static class ShutdownScenario
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>From the outage sequence's start to its low battery step is 8 s; this covers it and the reactions after.</summary>
    public static readonly TimeSpan OutageTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The events upsmon 2.8.0 knows; each gets SYSLOG+EXEC so the script sees it and no terminal is written to.</summary>
    private static readonly string[] NotifyTypes =
        ["ONLINE", "ONBATT", "LOWBATT", "FSD", "COMMOK", "COMMBAD", "SHUTDOWN", "REPLBATT", "NOCOMM", "NOPARENT", "SHUTDOWN_HOSTSYNC"];

    /// <summary>The events both programs must report alike for one outage.</summary>
    public static readonly string[] OutageEvents = ["ONLINE", "ONBATT", "LOWBATT", "FSD", "SHUTDOWN"];

    public static string NotifyScriptText => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scripts", "nut-notify.sh"));

    /// <summary>A [shutdown] section running the given command and notify script, quick polls, plus extra lines.</summary>
    public static string ShutdownSection(string command, string? notifyCommand, params string[] lines)
    {
        var text = new List<string> { "[shutdown]", $"command = {command}" };
        if (notifyCommand is not null)
        {
            text.Add($"notify-command = {notifyCommand}");
            text.AddRange(NotifyTypes.Select(t => $"notify-flag = {t} SYSLOG+EXEC"));
        }
        text.AddRange(["poll-interval = 1", "alert-poll-interval = 1", "final-delay = 0"]);
        text.AddRange(lines);
        return string.Join('\n', text) + "\n";
    }

    public static string MonitorSection(string name, string target, string user, string password, string role, int powerValue = 1) =>
        $"[monitor {name}]\nups = {target}\npower-value = {powerValue}\nuser = {user}\npassword = {password}\nrole = {role}\n";

    /// <summary>(TYPE, UPSNAME) of every line the notify script logged, in order.</summary>
    public static IReadOnlyList<(string Type, string Ups)> NotifyLog(string directory)
    {
        var path = Path.Combine(directory, "notify.log");
        return File.Exists(path)
            ? File.ReadAllLines(path).Select(l => l.Split('|')).Select(f => (f[0], f.Length > 1 ? f[1] : "")).ToList()
            : [];
    }

    public static string Show(IEnumerable<(string Type, string Ups)> events) =>
        string.Join(", ", events.Select(e => $"{e.Type} '{e.Ups}'"));

    public static Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout) =>
        InteropSetup.EventuallyAsync(() => Task.FromResult(condition()), timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until an unauthenticated connection sees NUMLOGINS of the UPS reach the count.</summary>
    public static async Task<bool> WaitForLoginsAsync(int port, string ups, int count, TimeSpan timeout)
    {
        await using var client = await NutLineClient.ConnectAsync(port);
        return await InteropSetup.EventuallyAsync(
            async () => await client.RequestAsync($"GET NUMLOGINS {ups}") == $"NUMLOGINS {ups} {count}", timeout, TimeSpan.FromMilliseconds(100));
    }
}

/// <summary>
/// Watches NUMLOGINS of one UPS every 50 ms on its own connection and remembers when it first fell to or
/// below a count, in wall-clock time (comparable with the marker files).
/// </summary>
internal sealed class LoginWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<(DateTimeOffset At, string Reply)> _changes = [];
    private readonly object _gate = new();

    private LoginWatch(NutLineClient client, string ups)
    {
        _loop = Task.Run(async () =>
        {
            var last = "";
            while (!_stop.IsCancellationRequested)
            {
                string reply;
                try
                {
                    reply = await client.RequestAsync($"GET NUMLOGINS {ups}", TimeSpan.FromSeconds(2));
                }
                catch (TimeoutException)
                {
                    reply = "(timeout)";
                }
                if (reply != last)
                {
                    lock (_gate)
                    {
                        _changes.Add((DateTimeOffset.UtcNow, reply));
                    }
                    last = reply;
                }
                if (reply == "(closed)")
                {
                    break;
                }
                await Task.Delay(50).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            await client.DisposeAsync();
        });
    }

    public static async Task<LoginWatch> StartAsync(int port, string ups) => new(await NutLineClient.ConnectAsync(port), ups);

    /// <summary>When NUMLOGINS was first seen at or below the count after having been above it.</summary>
    public DateTimeOffset? FirstAtOrBelow(int count, string ups)
    {
        lock (_gate)
        {
            var wasAbove = false;
            foreach (var (at, reply) in _changes)
            {
                var value = reply.StartsWith($"NUMLOGINS {ups} ", StringComparison.Ordinal) && int.TryParse(reply.AsSpan($"NUMLOGINS {ups} ".Length), out var n) ? n : -1;
                if (value > count)
                {
                    wasAbove = true;
                }
                else if (wasAbove && value >= 0)
                {
                    return at;
                }
            }
            return null;
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return "NUMLOGINS seen: " + string.Join(", ", _changes.Select(c => $"{c.At:HH:mm:ss.fff} {c.Reply}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}

internal static class TimeFormatting
{
    public static string Of(DateTimeOffset? at) => at is { } t ? t.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) : "never";

    public static double Seconds(DateTimeOffset later, DateTimeOffset earlier) => (later - earlier).TotalSeconds;

    public static Stopwatch Start() => Stopwatch.StartNew();
}
