using System.Globalization;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Benchmarks;

/// <summary>
/// Real upsd 2.8.0 (+ dummy-ups) and upsagent side by side on free loopback ports, same device file, measured
/// in alternating rounds so slow drift of a shared host hits both alike.
/// </summary>
public static class NutBenchmark
{
    private const string UpsName = "ups";
    private const string Request = $"GET VAR {UpsName} battery.charge";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var agentAssembly = options.AgentAssembly ?? FromRepository("src/UpsAgent/bin/Release/net10.0/upsagent.dll");
        if (agentAssembly is null || !File.Exists(agentAssembly))
        {
            Console.Error.WriteLine($"upsagent.dll not found ({agentAssembly ?? "no repository here"}); build it first: dotnet build -c Release src/UpsAgent, or pass --agent PATH");
            return 2;
        }
        var device = options.DeviceFile ?? FromRepository("hw/devices/online.dev");
        if (device is null || !File.Exists(device))
        {
            Console.Error.WriteLine($"device file not found ({device ?? "no repository here"}); pass --device PATH");
            return 2;
        }

        var setup = new NutSetup([new SimulatedUps(UpsName, "Benchmark UPS", device)], []);
        Console.Error.WriteLine($"agent: {agentAssembly}\ndevice: {device}\nrequest: {Request}");
        await using var upsd = await UpsdPeer.StartAsync(setup);
        await using var agent = await UpsAgentPeer.StartAsync(setup, agentAssembly);
        INutServerPeer[] servers = [upsd, agent];

        foreach (var server in servers)
        {
            await using var client = await NutLineClient.ConnectAsync(server.Port);
            var reply = await client.RequestAsync(Request);
            Console.Error.WriteLine($"{server.Kind} on {server.Port} (pid {server.ServerProcessId}): {reply}");
            if (!reply.StartsWith("VAR ", StringComparison.Ordinal))
            {
                Console.Error.WriteLine(server.Log);
                return 1;
            }
            if (options.Warmup > TimeSpan.Zero)
            {
                await LoadRound.RunAsync(server.Port, server.ServerProcessId, Request, new LoadLevel(10, 8), options.Warmup);
            }
        }

        var rows = new List<(LoadLevel, LevelResult, LevelResult)>();
        long errors = 0;
        foreach (var level in options.Levels)
        {
            var results = new[] { new LevelResult(), new LevelResult() };
            for (var round = 1; round <= options.Rounds; round++)
            {
                for (var s = 0; s < servers.Length; s++)
                {
                    var result = await LoadRound.RunAsync(servers[s].Port, servers[s].ServerProcessId, Request, level, options.Duration);
                    results[s].Add(result);
                    errors += result.Errors;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{level} round {round} {servers[s].Kind,-8}: {result.Completed / result.Elapsed.TotalSeconds,9:N0} req/s, server {ProcStat.TicksToMicroseconds(result.ServerCpuTicks) / Math.Max(1, result.Received),6:N1} µs CPU/req, errors {result.Errors}"));
                    await Task.Delay(200);
                }
            }
            rows.Add((level, results[0], results[1]));
        }

        Console.WriteLine(ResultTable.Render(rows));
        foreach (var server in servers)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{server.Kind}: VmRSS {ProcStat.StatusKib(server.ServerProcessId, "VmRSS"):N0} KiB, VmHWM {ProcStat.StatusKib(server.ServerProcessId, "VmHWM"):N0} KiB"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Rounds} alternating rounds of {options.Duration.TotalSeconds:0.#} s per server and level; clock ticks {ProcStat.TicksPerSecond}/s; {Environment.ProcessorCount} CPUs"));
        if (errors > 0)
        {
            Console.Error.WriteLine($"{errors} errors (non-VAR replies, closed connections or stalls)");
            return 1;
        }
        return 0;
    }

    /// <summary>A path inside the repository this benchmark runs from (found by walking up to UpsAgent.sln).</summary>
    internal static string? FromRepository(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "UpsAgent.sln")))
                {
                    return Path.Combine(dir.FullName, relative);
                }
            }
        }
        return null;
    }
}
