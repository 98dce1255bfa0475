using System.Globalization;
using System.Text;
using UpsAgent.Protocols.Snmp;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Benchmarks;

/// <summary>
/// The real snmpd (net-snmp 5.9) and upsagent's SNMP agent side by side on free loopback ports, measured in
/// alternating rounds: sequential and pipelined GETs of sysDescr.0, and back-to-back GetBulk walks of a
/// subtree of similar size on each (upsagent: system group + UPS-MIB; snmpd: system group with its
/// sysORTable + the snmp group).
/// </summary>
public static class SnmpBenchmark
{
    private const string Snmpd = "/usr/sbin/snmpd";
    private static readonly ObjectIdentifier SysDescr = ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0");
    private static readonly ObjectIdentifier System = ObjectIdentifier.Parse("1.3.6.1.2.1.1");

    private sealed record Server(string Name, int Port, int Pid, IReadOnlyList<ObjectIdentifier> WalkRoots);

    public static async Task<int> RunAsync(SnmpBenchOptions options)
    {
        var agentAssembly = options.AgentAssembly ?? NutBenchmark.FromRepository("src/UpsAgent/bin/Release/net10.0/upsagent.dll");
        if (agentAssembly is null || !File.Exists(agentAssembly))
        {
            Console.Error.WriteLine($"upsagent.dll not found ({agentAssembly ?? "no repository here"}); build it first: dotnet build -c Release src/UpsAgent, or pass --agent PATH");
            return 2;
        }
        var device = NutBenchmark.FromRepository("hw/devices/online.dev");
        if (device is null || !File.Exists(device))
        {
            Console.Error.WriteLine("hw/devices/online.dev not found; run from the repository");
            return 2;
        }
        if (!File.Exists(Snmpd))
        {
            Console.Error.WriteLine("snmpd is not installed: apt-get install snmpd");
            return 2;
        }

        using var scratch = new ScratchDirectory("bench-snmp-");
        await using var snmpd = await StartSnmpdAsync(scratch);
        await using var agent = await StartAgentAsync(scratch, agentAssembly, device);
        var servers = new[]
        {
            new Server("snmpd 5.9", snmpd.Port, snmpd.Process.Id, [System, ObjectIdentifier.Parse("1.3.6.1.2.1.11")]),
            new Server("upsagent", agent.Port, agent.Process.Id, [System, ObjectIdentifier.Parse("1.3.6.1.2.1.33")]),
        };

        foreach (var server in servers)
        {
            using var client = new SnmpLoadClient(server.Port);
            int objects = await client.WalkOnceAsync(server.WalkRoots, options.MaxRepetitions);
            Console.Error.WriteLine($"{server.Name} on 127.0.0.1:{server.Port} (pid {server.Pid}): walk of {string.Join(" + ", server.WalkRoots)} = {objects} objects");
            if (objects <= 0)
            {
                Console.Error.WriteLine(server.Name == "upsagent" ? agent.Process.Output : snmpd.Process.Output);
                return 1;
            }
            if (options.Warmup > TimeSpan.Zero)
            {
                await client.GetAsync([SysDescr], 8, options.Warmup / 2, server.Pid);
                await client.BulkWalkAsync(server.WalkRoots, options.MaxRepetitions, options.Warmup / 2, server.Pid);
            }
        }

        var tests = options.Depths.Select(d => ($"GET sysDescr.0, {d} in flight", (Func<SnmpLoadClient, Server, Task<SnmpRoundResult>>)((c, s) => c.GetAsync([SysDescr], d, options.Duration, s.Pid)))).ToList();
        tests.Add(($"bulkwalk, max-repetitions {options.MaxRepetitions}", (c, s) => c.BulkWalkAsync(s.WalkRoots, options.MaxRepetitions, options.Duration, s.Pid)));

        var table = new StringBuilder();
        table.AppendLine("| test | server | ops/s | objects/s | p50 µs | p99 µs | server CPU µs/op | errors |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        long errors = 0;
        foreach (var (name, run) in tests)
        {
            var totals = servers.Select(_ => (Ops: 0L, Objects: 0L, Seconds: 0.0, Cpu: 0L, Errors: 0L, Latency: new LatencyHistogram())).ToArray();
            for (var round = 1; round <= options.Rounds; round++)
            {
                for (var s = 0; s < servers.Length; s++)
                {
                    using var client = new SnmpLoadClient(servers[s].Port);
                    var result = await run(client, servers[s]);
                    var t = totals[s];
                    t.Latency.Add(result.Latency);
                    totals[s] = (t.Ops + result.Operations, t.Objects + result.Objects, t.Seconds + result.Seconds, t.Cpu + result.ServerCpuTicks, t.Errors + result.Errors, t.Latency);
                    errors += result.Errors;
                    Console.Error.WriteLine(Invariant($"{name} round {round} {servers[s].Name,-9}: {result.Operations / result.Seconds,9:N0} ops/s, {result.Objects / result.Seconds,9:N0} objects/s, errors {result.Errors}"));
                    await Task.Delay(200);
                }
            }

            for (var s = 0; s < servers.Length; s++)
            {
                var t = totals[s];
                table.AppendLine(Invariant($"| {(s == 0 ? name : "")} | {servers[s].Name} | {t.Ops / t.Seconds:N0} | {t.Objects / t.Seconds:N0} | {Micro(t.Latency.Percentile(0.5)):N0} | {Micro(t.Latency.Percentile(0.99)):N0} | {ProcStat.TicksToMicroseconds(t.Cpu) / Math.Max(1, t.Ops):N1} | {t.Errors} |"));
            }
            var (a, b) = (totals[0], totals[1]);
            table.AppendLine(Invariant($"| | **upsagent/snmpd** | **{b.Ops / b.Seconds / (a.Ops / a.Seconds):0.00}×** | **{b.Objects / b.Seconds / (a.Objects / a.Seconds):0.00}×** | | | **{ProcStat.TicksToMicroseconds(b.Cpu) / Math.Max(1, b.Ops) / (ProcStat.TicksToMicroseconds(a.Cpu) / Math.Max(1, a.Ops)):0.00}×** | |"));
        }

        Console.WriteLine(table.ToString());
        foreach (var server in servers)
        {
            Console.WriteLine(Invariant($"{server.Name}: VmRSS {ProcStat.StatusKib(server.Pid, "VmRSS"):N0} KiB, VmHWM {ProcStat.StatusKib(server.Pid, "VmHWM"):N0} KiB"));
        }
        Console.WriteLine(Invariant($"{options.Rounds} alternating rounds of {options.Duration.TotalSeconds:0.#} s per server and test; {Environment.ProcessorCount} CPUs"));
        return errors > 0 ? 1 : 0;
    }

    private static double Micro(double stopwatchTicks) => stopwatchTicks * 1_000_000.0 / global::System.Diagnostics.Stopwatch.Frequency;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class RunningPeer(PeerProcess process, int port) : IAsyncDisposable
    {
        public PeerProcess Process { get; } = process;

        public int Port { get; } = port;

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    /// <summary>
    /// snmpd with a private config on a free loopback port: no default config files (-C), no SMUX (it would
    /// listen on TCP 0.0.0.0:199), no MIB files to parse, and no log line per request (dontLogTCPWrappersConnects).
    /// </summary>
    private static async Task<RunningPeer> StartSnmpdAsync(ScratchDirectory scratch)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeUdpPort();
            var conf = scratch.File($"snmpd-{attempt}.conf");
            var state = Directory.CreateDirectory(scratch.File($"snmpd-state-{attempt}")).FullName;
            await File.WriteAllTextAsync(conf, $"""
                agentaddress udp:127.0.0.1:{port}
                rocommunity public 127.0.0.1
                sysDescr UpsAgent benchmark peer
                sysLocation loopback
                sysContact nobody@example.invalid
                sysName snmpd-bench
                dontLogTCPWrappersConnects yes
                """);
            var process = PeerProcess.Start("snmpd", Snmpd, ["-f", "-Lo", "-C", "-c", conf, "-I", "-smux", "-M", "/nonexistent"],
                new Dictionary<string, string> { ["SNMP_PERSISTENT_DIR"] = state, ["MIBS"] = "" });
            if (await AnswersAsync(port, process))
            {
                return new RunningPeer(process, port);
            }
            var output = process.Output;
            await process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"snmpd did not answer on 127.0.0.1:{port}:\n{output}");
            }
        }
    }

    private static async Task<RunningPeer> StartAgentAsync(ScratchDirectory scratch, string assembly, string device)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeUdpPort();
            var conf = scratch.File($"upsagent-{attempt}.conf");
            await File.WriteAllTextAsync(conf, $"[ups ups]\ndriver = simulated\nfile = {device}\n[nut]\nlisten = none\n");
            var process = PeerProcess.Start("upsagent", "dotnet",
                [assembly, "run", "--config", conf, "--listen-snmp", $"127.0.0.1:{port}", "--control-socket", scratch.File($"ctl-{attempt}.sock")]);
            if (await AnswersAsync(port, process))
            {
                return new RunningPeer(process, port);
            }
            var output = process.Output;
            await process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"upsagent did not answer on 127.0.0.1:{port}:\n{output}");
            }
        }
    }

    private static async Task<bool> AnswersAsync(int port, PeerProcess process)
    {
        using var client = new SnmpLoadClient(port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (await client.WalkOnceAsync([System], 10) > 0)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static int FreeUdpPort()
    {
        using var socket = new global::System.Net.Sockets.Socket(global::System.Net.Sockets.AddressFamily.InterNetwork, global::System.Net.Sockets.SocketType.Dgram, global::System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new global::System.Net.IPEndPoint(global::System.Net.IPAddress.Loopback, 0));
        return ((global::System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
