using System.Net;
using UpsAgent.Configuration;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Hosting;

/// <summary>
/// driver = nut: one agent repeats a UPS another agent serves over NUT's protocol. (The interop tests do
/// the same against the real upsd, with upsc and upsrw reading the repeated UPS.)
/// </summary>
[TestClass]
public sealed class NutRepeaterTests
{
    private const string Users = "[user admin]\npassword = secret\nactions = SET\ninstcmds = ALL\n";

    private static async Task<AgentHost> StartAsync(string config)
    {
        var host = new AgentHost(AgentConfigLoader.Load("[agent]\ncontrol-socket = none\n" + config, "t.conf"), AgentHostMode.Agent, log: TextWriter.Null);
        try
        {
            await host.StartAsync(CancellationToken.None);
            await host.WaitForFirstDataAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static Task<AgentHost> StartRepeaterAsync(IPEndPoint upstream, string credentials = "username = admin\npassword = secret\n") =>
        StartAsync($"[nut]\nlisten = none\n[ups far]\ndriver = nut\nport = ups@127.0.0.1:{upstream.Port}\n{credentials}pollinterval = 0.1\n");

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    [TestMethod]
    public async Task The_repeated_ups_has_the_others_values_types_and_commands_and_its_own_driver_name()
    {
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n{Users}");
        await using AgentHost repeater = await StartRepeaterAsync(origin.NutEndpoints[0]);
        UpsState source = origin.Registry.Find("ups")!.Current;
        UpsState copy = repeater.Registry.Find("far")!.Current;

        foreach (UpsVariable v in source.Variables.Where(v => !v.Name.StartsWith("driver.", StringComparison.Ordinal)))
        {
            UpsVariable? repeated = copy.Find(v.Name);
            Assert.IsNotNull(repeated, v.Name);
            Assert.AreEqual(v.Value, repeated.Value, v.Name);
            Assert.AreEqual(v.Flags & (VariableFlags.ReadWrite | VariableFlags.String | VariableFlags.Number), repeated.Flags, v.Name);
            Assert.AreEqual(v.MaxLength, repeated.MaxLength, v.Name);
            CollectionAssert.AreEqual(v.EnumValues.ToArray(), repeated.EnumValues.ToArray(), v.Name);
            CollectionAssert.AreEqual(v.Ranges.ToArray(), repeated.Ranges.ToArray(), v.Name);
        }

        CollectionAssert.AreEquivalent(source.Commands.ToArray(), copy.Commands.ToArray());
        Assert.AreEqual("nut", copy.Find("driver.name")!.Value);
        Assert.AreEqual($"ups@127.0.0.1:{origin.NutEndpoints[0].Port}", copy.Find("driver.parameter.port")!.Value);
        Assert.AreEqual(UpsDataState.Fresh, copy.DataState);
    }

    [TestMethod]
    public async Task Sets_and_instant_commands_reach_the_other_server_and_report_its_drivers_outcome()
    {
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n{Users}");
        await using AgentHost repeater = await StartRepeaterAsync(origin.NutEndpoints[0]);
        UpsUnit source = origin.Registry.Find("ups")!;
        UpsUnit far = repeater.Registry.Find("far")!;

        Assert.AreEqual(CommandOutcome.Success, await far.Commands.SetVariableAsync("ups.id", "rack-z", CancellationToken.None));
        Assert.AreEqual("rack-z", source.Current.Find("ups.id")!.Value);
        await EventuallyAsync(() => far.Current.Find("ups.id")?.Value == "rack-z", "the repeater's next poll shows the new ups.id");

        Assert.AreEqual(CommandOutcome.Success, await far.Commands.RunInstantCommandAsync("beeper.disable", null, CancellationToken.None));
        Assert.AreEqual("disabled", source.Current.Find("ups.beeper.status")!.Value);

        // The other server checks too: a value outside the variable's range, an unknown variable and command.
        Assert.AreEqual(CommandOutcome.InvalidArgument, await far.Commands.SetVariableAsync("battery.charge.low", "250", CancellationToken.None));
        Assert.AreEqual(CommandOutcome.Unknown, await far.Commands.SetVariableAsync("no.such.variable", "1", CancellationToken.None));
        Assert.AreEqual(CommandOutcome.Unknown, await far.Commands.RunInstantCommandAsync("no.such.command", null, CancellationToken.None));
        Assert.AreEqual("rack-z", source.Current.Find("ups.id")!.Value);
    }

    [TestMethod]
    [DataRow("username = admin\npassword = wrong\n", DisplayName = "wrong password")]
    [DataRow("", DisplayName = "no user configured")]
    public async Task Without_the_right_user_a_set_fails_and_nothing_changes_upstream(string credentials)
    {
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n{Users}");
        await using AgentHost repeater = await StartRepeaterAsync(origin.NutEndpoints[0], credentials);
        UpsUnit far = repeater.Registry.Find("far")!;
        string before = origin.Registry.Find("ups")!.Current.Find("ups.id")!.Value;

        Assert.AreEqual(CommandOutcome.Failed, await far.Commands.SetVariableAsync("ups.id", "intruder", CancellationToken.None));
        Assert.AreEqual(before, origin.Registry.Find("ups")!.Current.Find("ups.id")!.Value);
        Assert.AreEqual(UpsDataState.Fresh, far.Current.DataState, "reading needs no user and goes on");
    }

    [TestMethod]
    public async Task The_repeated_ups_goes_stale_when_the_other_server_stops_and_fresh_when_one_serves_again()
    {
        AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n{Users}");
        IPEndPoint endpoint = origin.NutEndpoints[0];
        await using AgentHost repeater = await StartRepeaterAsync(endpoint);
        UpsUnit far = repeater.Registry.Find("far")!;

        await origin.DisposeAsync();
        await EventuallyAsync(() => far.Current.DataState == UpsDataState.Stale, "the repeated data is stale");
        Assert.AreEqual("OL CHRG", far.Current.Find("ups.status")!.Value, "the last values stay, marked stale");

        // A new server on the same port with the outage sequence: the repeater reconnects by itself.
        await using AgentHost again = await StartAsync($"[nut]\nlisten = 127.0.0.1:{endpoint.Port}\n[ups ups]\nfile = builtin:outage\nspeed = 50\n{Users}");
        await EventuallyAsync(() => far.Current.DataState == UpsDataState.Fresh && far.Current.Find("ups.status")!.Value.StartsWith("OB", StringComparison.Ordinal),
            "the repeater follows the new server onto battery");
    }

    [TestMethod]
    public async Task An_unknown_ups_on_the_other_server_leaves_no_data_and_the_agent_running()
    {
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n{Users}");
        var host = new AgentHost(
            AgentConfigLoader.Load($"[agent]\ncontrol-socket = none\n[nut]\nlisten = none\n[ups far]\ndriver = nut\nport = nosuch@127.0.0.1:{origin.NutEndpoints[0].Port}\npollinterval = 0.1\n", "t.conf"),
            AgentHostMode.Agent, log: TextWriter.Null);
        await using (host)
        {
            await host.StartAsync(CancellationToken.None);
            await host.WaitForFirstDataAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None);
            Assert.AreEqual(UpsDataState.Waiting, host.Registry.Find("far")!.Current.DataState);
            Assert.IsEmpty(host.Registry.Find("far")!.Current.Variables);
        }
    }
}
