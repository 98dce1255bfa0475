using System.Diagnostics;
using System.Globalization;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Benchmarks;

/// <summary>
/// Reaction time of a shutdown, wall clock, with shutdown commands that only record when they ran:
/// (a) local: a simulated UPS served by the agent steps to OB LB; from that step to the agent's command;
/// (b) remote: a raw primary sets FSD on a real upsd; from the FSD to the command of upsagent as a secondary
/// and of the real upsmon as a secondary, both with default settings, in the same rounds.
/// </summary>
public static class ShutdownBenchmark
{
    private const string UpsName = "ups";
    private static readonly NutUser Primary = NutUser.Monitor("boss", "chief", UpsmonRole.Primary);
    private static readonly NutUser Secondary = NutUser.Monitor("mon", "pass", UpsmonRole.Secondary);

    public static async Task<int> RunAsync(ShutdownBenchOptions options)
    {
        var agentAssembly = options.AgentAssembly ?? NutBenchmark.FromRepository("src/UpsAgent/bin/Release/net10.0/upsagent.dll");
        if (agentAssembly is null || !File.Exists(agentAssembly))
        {
            Console.Error.WriteLine($"upsagent.dll not found ({agentAssembly ?? "no repository here"}); build it first: dotnet build -c Release src/UpsAgent, or pass --agent PATH");
            return 2;
        }
        if (!NutPaths.Installed)
        {
            Console.Error.WriteLine("NUT 2.8.0 is not installed: apt-get install nut-server nut-client");
            return 2;
        }
        Console.Error.WriteLine($"agent: {agentAssembly}");

        var failures = 0;
        var local = new List<(double Low, double High)>();
        for (var round = 1; round <= options.LocalRounds; round++)
        {
            var result = await LocalRoundAsync(agentAssembly, showLog: round == 1);
            if (result is { } r)
            {
                local.Add(r);
                Console.Error.WriteLine(Invariant($"local round {round}: LB step -> agent's command {r.Low * 1000:0.0}..{r.High * 1000:0.0} ms"));
            }
            else
            {
                failures++;
            }
        }

        var agentRemote = new List<double>();
        var upsmonRemote = new List<double>();
        for (var round = 1; round <= options.RemoteRounds; round++)
        {
            var result = await RemoteRoundAsync(agentAssembly, round);
            if (result is { } r)
            {
                agentRemote.Add(r.Agent);
                upsmonRemote.Add(r.Upsmon);
                Console.Error.WriteLine(Invariant($"remote round {round}: FSD -> upsagent's command {r.Agent:0.000} s, upsmon's {r.Upsmon:0.000} s"));
            }
            else
            {
                failures++;
            }
        }

        Console.WriteLine();
        if (local.Count > 0)
        {
            Console.WriteLine("(a) local UPS, upsagent (grace 0, final-delay 0): simulated OB LB step -> shutdown command ran");
            Console.WriteLine(Invariant($"    {local.Count} rounds; upper bounds (ms): {string.Join(", ", local.Select(r => (r.High * 1000).ToString("0.0", CultureInfo.InvariantCulture)))}"));
            Console.WriteLine(Invariant($"    median {Median(local.Select(r => r.High)) * 1000:0.0} ms, max {local.Max(r => r.High) * 1000:0.0} ms (target < 1000 ms)"));
        }
        if (agentRemote.Count > 0)
        {
            Console.WriteLine("(b) remote, both secondaries of one upsd with default settings: FSD set -> shutdown command ran");
            Console.WriteLine(Invariant($"    upsagent (poll-interval 5, final-delay 5): {Describe(agentRemote)}"));
            Console.WriteLine(Invariant($"    upsmon 2.8.0 (POLLFREQ 5, FINALDELAY 5):    {Describe(upsmonRemote)}"));
            Console.WriteLine(Invariant($"    upsagent/upsmon: median {Median(agentRemote) / Median(upsmonRemote):0.00}x, mean {agentRemote.Average() / upsmonRemote.Average():0.00}x"));
            var paired = agentRemote.Zip(upsmonRemote).Count(p => p.First <= p.Second);
            Console.WriteLine($"    upsagent first in {paired} of {agentRemote.Count} rounds");
            Console.WriteLine(Invariant($"    paired difference upsagent - upsmon: mean {agentRemote.Zip(upsmonRemote).Average(p => p.First - p.Second):+0.00;-0.00} s"));
        }
        Console.WriteLine($"{Environment.ProcessorCount} CPUs; {failures} failed rounds");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Lower and upper bound, in seconds, of the time from the simulated UPS's step to OB LB to the agent's
    /// command: a client polls ups.status back to back, so the step lies between the last request answered
    /// without LB and the first reply with it.
    /// </summary>
    private static async Task<(double Low, double High)?> LocalRoundAsync(string agentAssembly, bool showLog)
    {
        using var scratch = new ScratchDirectory("bench-local-");
        var device = Path.Combine(scratch.Path, "lowbattery.seq");
        await File.WriteAllTextAsync(device,
            "battery.charge: 100\nbattery.runtime: 2400\nups.status: OL\nTIMER 3\nbattery.charge: 5\nbattery.runtime: 60\nups.status: OB LB DISCHRG\n");
        var command = scratch.ShutdownScript("agent");
        var config = $"[shutdown]\ncommand = {command}\nallow-simulated = yes\ngrace = 0\nfinal-delay = 0\nhost-sync = 0\n";
        await using var agent = await UpsAgentPeer.StartWithConfigAsync(
            new NutSetup([new SimulatedUps(UpsName, "Benchmark UPS", device)], []), config, agentAssembly);
        await using var probe = await NutLineClient.ConnectAsync(agent.Port);

        var lastSentWithoutLb = DateTimeOffset.MinValue;
        DateTimeOffset? firstLb = null;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            var sent = DateTimeOffset.UtcNow;
            var reply = await probe.RequestAsync($"GET VAR {UpsName} ups.status");
            if (reply.Contains(" LB", StringComparison.Ordinal) || reply.Contains("\"LB", StringComparison.Ordinal))
            {
                firstLb = DateTimeOffset.UtcNow;
                break;
            }
            lastSentWithoutLb = sent;
        }
        if (firstLb is null)
        {
            Console.Error.WriteLine($"local round: the UPS never reported LB\n{agent.Log}");
            return null;
        }
        var ran = await WaitForMarkerAsync(() => scratch.MarkerTime("agent"), TimeSpan.FromSeconds(10));
        if (ran is null)
        {
            Console.Error.WriteLine($"local round: the shutdown command did not run\n{agent.Log}");
            return null;
        }
        if (showLog)
        {
            Console.Error.WriteLine(Invariant($"first LB reply {firstLb.Value:HH:mm:ss.ffff}, command ran {ran.Value:HH:mm:ss.ffff}; the agent's log:"));
            Console.Error.WriteLine(agent.Output);
        }
        return ((ran.Value - firstLb.Value).TotalSeconds, (ran.Value - lastSentWithoutLb).TotalSeconds);
    }

    private static async Task<(double Agent, double Upsmon)?> RemoteRoundAsync(string agentAssembly, int round)
    {
        var online = NutBenchmark.FromRepository("hw/devices/online.dev");
        if (online is null || !File.Exists(online))
        {
            Console.Error.WriteLine("hw/devices/online.dev not found");
            return null;
        }
        using var scratch = new ScratchDirectory("bench-remote-");
        await using var upsd = await UpsdPeer.StartAsync(new NutSetup([new SimulatedUps(UpsName, "Benchmark UPS", online)], [Primary, Secondary]));
        var target = ((INutServerPeer)upsd).Target(UpsName);
        // Only the command is set: every timing is upsagent's default, as upsmon's are.
        var config = $"[shutdown]\ncommand = {scratch.ShutdownScript("agent")}\n\n[monitor rack]\nups = {target}\nuser = {Secondary.Name}\npassword = {Secondary.Password}\nrole = secondary\n";
        // Each polls every 5 s from its start, so whichever starts later sees the FSD later in most rounds.
        // The second one starts 0-5 s after the first, and the two take turns going first, so neither
        // profits from the order.
        var offset = TimeSpan.FromSeconds(round * 0.618034 % 1 * 5); // golden-ratio steps spread evenly over 0-5 s
        var agentFirst = round % 2 == 0;
        UpsmonPeer? upsmon = null;
        UpsAgentPeer? agent = null;
        try
        {
            if (agentFirst)
            {
                agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config, agentAssembly);
                await Task.Delay(offset);
                upsmon = UpsmonPeer.Start(target, Secondary.Name, Secondary.Password, UpsmonOptions.Defaults(UpsmonRole.Secondary));
            }
            else
            {
                upsmon = UpsmonPeer.Start(target, Secondary.Name, Secondary.Password, UpsmonOptions.Defaults(UpsmonRole.Secondary));
                await Task.Delay(offset);
                agent = await UpsAgentPeer.StartWithConfigAsync(new NutSetup([], []), config, agentAssembly);
            }
            Console.Error.WriteLine(Invariant($"remote round {round}: {(agentFirst ? "upsagent" : "upsmon")} started first, the other {offset.TotalSeconds:0.00} s later"));
            return await FsdRoundAsync(upsd, scratch, upsmon, agent, round);
        }
        finally
        {
            if (upsmon is not null)
            {
                await upsmon.DisposeAsync();
            }
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private static async Task<(double Agent, double Upsmon)?> FsdRoundAsync(UpsdPeer upsd, ScratchDirectory scratch, UpsmonPeer upsmon, UpsAgentPeer agent, int round)
    {

        await using var boss = await NutLineClient.ConnectAsync(upsd.Port);
        foreach (var line in new[] { $"USERNAME {Primary.Name}", $"PASSWORD {Primary.Password}", $"LOGIN {UpsName}", $"PRIMARY {UpsName}" })
        {
            var reply = await boss.RequestAsync(line);
            if (!reply.StartsWith("OK", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"remote round: '{line}' -> {reply}\n{upsd.Log}");
                return null;
            }
        }
        var clock = Stopwatch.StartNew();
        while ((await boss.RequestAsync($"GET NUMLOGINS {UpsName}")) != $"NUMLOGINS {UpsName} 3")
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Console.Error.WriteLine($"remote round: the secondaries did not both log in\n{upsmon.Log}\n{agent.Log}");
                return null;
            }
            await Task.Delay(100);
        }
        // FSD at a different point of the poll cycles each round.
        await Task.Delay(TimeSpan.FromSeconds(1 + (round * 1.7 % 5)));

        var fsd = DateTimeOffset.UtcNow;
        var set = await boss.RequestAsync($"FSD {UpsName}");
        if (set != "OK FSD-SET")
        {
            Console.Error.WriteLine($"remote round: FSD -> {set}");
            return null;
        }
        var agentRan = await WaitForMarkerAsync(() => scratch.MarkerTime("agent"), TimeSpan.FromSeconds(30));
        var upsmonRan = await WaitForMarkerAsync(() => upsmon.ShutdownTime, TimeSpan.FromSeconds(30));
        if (agentRan is null || upsmonRan is null)
        {
            Console.Error.WriteLine($"remote round: a command did not run (agent {agentRan}, upsmon {upsmonRan})\n{upsmon.Log}\n{agent.Log}");
            return null;
        }
        var seen = AgentLogTime(agent.Output, "notify: FSD:");
        if (seen is not null)
        {
            Console.Error.WriteLine(Invariant($"remote round {round}: upsagent logged FSD {(seen.Value - fsd).TotalSeconds:0.000} s after it was set, ran its command {(agentRan.Value - seen.Value).TotalSeconds:0.000} s after that"));
        }
        return ((agentRan.Value - fsd).TotalSeconds, (upsmonRan.Value - fsd).TotalSeconds);
    }

    /// <summary>The time of the agent's first log line containing the text (its log stamps local time of day).</summary>
    private static DateTimeOffset? AgentLogTime(string log, string text)
    {
        var line = log.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
        if (line is null || line.Length < 12
            || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var timeOfDay))
        {
            return null;
        }
        var now = DateTimeOffset.Now;
        return new DateTimeOffset(now.Date + timeOfDay, now.Offset);
    }

    private static async Task<DateTimeOffset?> WaitForMarkerAsync(Func<DateTimeOffset?> marker, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (marker() is { } at)
            {
                return at;
            }
            await Task.Delay(10);
        }
        return null;
    }

    private static string Describe(List<double> seconds) =>
        Invariant($"median {Median(seconds):0.00} s, mean {seconds.Average():0.00} s, min {seconds.Min():0.00} s, max {seconds.Max():0.00} s; rounds: {string.Join(", ", seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))}");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
