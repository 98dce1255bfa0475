using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Cli;
using UpsAgent.Console.Repl;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Hosting;
using UpsAgent.Servers.Snmp;

namespace UpsAgent.Tests.Cli;

/// <summary>"upsagent snmp get|walk" and the REPL's "snmp" commands against this agent's SNMP server, in process on loopback.</summary>
[TestClass]
public sealed class SnmpVerbTests
{
    private const string UpsEstimatedChargeRemaining = "1.3.6.1.2.1.33.1.2.4.0";
    private const string UpsEstimatedMinutesRemaining = "1.3.6.1.2.1.33.1.2.3.0";

    [TestMethod]
    [DataRow("1")]
    [DataRow("2c")]
    public async Task Get_prints_values_as_net_snmp_does(string version)
    {
        await using var agent = await LocalAgent.StartAsync();

        (int code, string output) = await RunAsync("get", "-v", version, agent.Target, UpsEstimatedChargeRemaining, "1.3.6.1.2.1.1.2.0", UpsEstimatedMinutesRemaining);

        Assert.AreEqual(0, code, output);
        CollectionAssert.AreEqual(
            new[]
            {
                $".{UpsEstimatedChargeRemaining} = INTEGER: 85",
                ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.2.1.33",
                $".{UpsEstimatedMinutesRemaining} = INTEGER: 42",
            },
            Lines(output));
    }

    [TestMethod]
    public async Task Get_of_a_missing_object_says_so_per_version()
    {
        await using var agent = await LocalAgent.StartAsync();

        (int v1Code, string v1) = await RunAsync("get", "-v", "1", agent.Target, "1.3.6.1.2.1.33.1.2.9.0");
        (int v2Code, string v2) = await RunAsync("get", "-v", "2c", agent.Target, "1.3.6.1.2.1.33.1.2.9.0");

        Assert.AreEqual(1, v1Code);
        StringAssert.Contains(v1, "NoSuchName");
        StringAssert.Contains(v1, "Failed object: .1.3.6.1.2.1.33.1.2.9.0");
        Assert.AreEqual(0, v2Code);
        StringAssert.Contains(v2, "= No Such Object available on this agent at this OID");
    }

    [TestMethod]
    [DataRow("1")]
    [DataRow("2c")]
    public async Task Walk_prints_a_subtree_in_order(string version)
    {
        await using var agent = await LocalAgent.StartAsync();

        (int code, string output) = await RunAsync("walk", "-v", version, agent.Target, "1.3.6.1.2.1.33.1.2");

        Assert.AreEqual(0, code, output);
        string[] lines = Lines(output);
        Assert.IsGreaterThanOrEqualTo(4, lines.Length, output);
        Assert.IsTrue(lines.All(l => l.StartsWith(".1.3.6.1.2.1.33.1.2.", StringComparison.Ordinal)), output);
        Assert.Contains($".{UpsEstimatedChargeRemaining} = INTEGER: 85", lines);
    }

    [TestMethod]
    public async Task A_silent_agent_is_a_timeout_with_exit_code_1()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string target = $"127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}";

        (int code, string output) = await RunAsync("get", "-t", "0.05", "-r", "1", target, UpsEstimatedChargeRemaining);

        Assert.AreEqual(1, code);
        StringAssert.StartsWith(output, $"Timeout: No Response from {target}.");
    }

    [TestMethod]
    [DataRow(new[] { "get", "127.0.0.1" }, "at least one OID")]
    [DataRow(new[] { "get", "127.0.0.1", "sysDescr.0" }, "not a numeric OID")]
    [DataRow(new[] { "get", "127.0.0.1:99999", "1.3.6.1.2.1.1.1.0" }, "no valid port")]
    [DataRow(new[] { "get", "-v", "2", "127.0.0.1", "1.3.6.1.2.1.1.1.0" }, "not 1, 2c or 3")]
    [DataRow(new[] { "get", "-v", "3", "127.0.0.1", "1.3.6.1.2.1.1.1.0" }, "needs -u USER")]
    [DataRow(new[] { "get", "-v", "3", "-u", "ups", "-A", "short", "127.0.0.1", "1.3.6.1.2.1.1.1.0" }, "at least 8 characters")]
    [DataRow(new[] { "put", "127.0.0.1", "1.3.6.1.2.1.1.1.0" }, "unknown subcommand")]
    [DataRow(new[] { "walk", "127.0.0.1", "1.3.6.1.2.1.1", "1.3.6.1.2.1.2" }, "at most one OID")]
    public async Task Bad_command_lines_are_usage_errors(string[] words, string problem)
    {
        ParsedArguments parsed = ArgumentParser.Parse(words, SnmpVerb.Options, "snmp");

        UsageException e = await Assert.ThrowsExactlyAsync<UsageException>(() => SnmpVerb.RunAsync(parsed, TextWriter.Null, CancellationToken.None));

        StringAssert.Contains(e.Message, problem);
    }

    [TestMethod]
    public async Task The_repl_runs_the_same_get_and_walk()
    {
        await using var agent = await LocalAgent.StartAsync();
        var shell = new CommandShell();
        SnmpReplCommands.Register(shell);
        var output = new StringWriter();

        int get = await shell.ExecuteAsync($"snmp get -v 1 {agent.Target} {UpsEstimatedChargeRemaining}", output, CancellationToken.None);
        int walk = await shell.ExecuteAsync($"snmp walk {agent.Target} 1.3.6.1.2.1.1", output, CancellationToken.None);
        int bad = await shell.ExecuteAsync("snmp get 127.0.0.1", output, CancellationToken.None);

        Assert.AreEqual(0, get, output.ToString());
        Assert.AreEqual(0, walk, output.ToString());
        Assert.AreEqual(2, bad);
        string text = output.ToString();
        StringAssert.Contains(text, $".{UpsEstimatedChargeRemaining} = INTEGER: 85");
        StringAssert.Contains(text, ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.2.1.33");
        StringAssert.Contains(text, "error: snmp get: give at least one OID");
        StringAssert.Contains(text, "usage: snmp get");
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] words)
    {
        ParsedArguments parsed = ArgumentParser.Parse(words, SnmpVerb.Options, "snmp");
        var output = new StringWriter();
        int code = await SnmpVerb.RunAsync(parsed, output, CancellationToken.None);
        return (code, output.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>This agent's SNMP server over one UPS holding fixed values, on a free loopback port.</summary>
    private sealed class LocalAgent : IAsyncDisposable
    {
        private readonly SnmpServer _server;

        private LocalAgent(SnmpServer server) => _server = server;

        public string Target => _server.BoundEndpoints[0].ToString();

        public static async Task<LocalAgent> StartAsync()
        {
            var clock = new SystemClock();
            var store = new UpsStateStore("ups", "test", clock);
            store.CreateWriter().Publish(
                [new UpsVariable("ups.status", "OL"), new UpsVariable("battery.charge", "85"), new UpsVariable("battery.runtime", "2520"), new UpsVariable("input.voltage", "230")],
                []);
            var options = new SnmpAgentOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] };
            var server = new SnmpServer(options, new UpsRegistry([new UpsUnit(store, new NoCommands())]), clock, NullLogger.Instance);
            await server.StartAsync(CancellationToken.None);
            return new LocalAgent(server);
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private sealed class NoCommands : IUpsCommandTarget
    {
        public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
            ValueTask.FromResult(CommandOutcome.Unknown);

        public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
            ValueTask.FromResult(CommandOutcome.Unknown);
    }
}
