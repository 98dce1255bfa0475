using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;
using UpsAgent.Servers.Tests.Nut;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Servers.Tests.Snmp;

[TestClass]
public sealed class SnmpServerTests
{
    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public async Task The_server_answers_over_udp_and_ignores_what_it_cannot_read()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("ups", "test", clock);
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish(SnmpAgentFixture.OnLine.Select(p => new UpsVariable(p.Key, p.Value)), []);
        var options = new SnmpAgentOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] };
        await using var server = new SnmpServer(options, new UpsRegistry([new UpsUnit(store, new FakeCommandTarget())]), clock, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Connect(server.BoundEndpoints.Single());
        await client.SendAsync(new byte[] { 0x30, 0x80, 0x00 });
        await client.SendAsync(SnmpAgentFixture.Request(SnmpVersion.V1, SnmpPduType.GetRequest, "1.3.6.1.2.1.33.1.4.1.0"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        UdpReceiveResult received = await client.ReceiveAsync(timeout.Token);

        Assert.IsTrue(SnmpMessageCodec.TryDecode(received.Buffer, out SnmpMessage? answer, out _));
        Assert.AreEqual(SnmpVersion.V1, answer.Version);
        Assert.AreEqual(SnmpValue.Integer(3), answer.Pdu.VarBinds.Single().Value);
        Assert.AreEqual(1u, server.Agent.Counters.InAsnParseErrors);
    }

    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public async Task Alarm_rows_are_stamped_when_the_state_changes_not_when_first_read()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("ups", "test", clock);
        UpsStateWriter writer = store.CreateWriter();
        writer.Publish(SnmpAgentFixture.OnLine.Select(p => new UpsVariable(p.Key, p.Value)), []);
        var options = new SnmpAgentOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] };
        await using var server = new SnmpServer(options, new UpsRegistry([new UpsUnit(store, new FakeCommandTarget())]), clock, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(5));
        writer.SetValue("ups.status", "OB");
        while (server.View.Alarms.Rows.Count == 0)
        {
            await Task.Delay(5);
        }

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.AreEqual(500u, server.View.Alarms.Rows.Single().TimeTicks);
    }
}
