using UpsAgent.Drivers.Snmp;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Drivers.Tests.Snmp;

[TestClass]
public sealed class SnmpClientTests
{
    private static readonly SnmpClientOptions Quick = new() { Timeout = TimeSpan.FromMilliseconds(50), Retries = 2 };

    private static SnmpClient Client(FakeSnmpTransport transport, SnmpVersion version, SnmpClientOptions? options = null, string community = "public") =>
        new(transport, new CommunityMessageModel(version, community), options ?? Quick);

    private static ObjectIdentifier Oid(string text) => ObjectIdentifier.Parse(text);

    [TestMethod]
    [DataRow(SnmpVersion.V1)]
    [DataRow(SnmpVersion.V2c)]
    public async Task Read_leaves_out_objects_the_card_lacks_and_keeps_the_rest(SnmpVersion version)
    {
        FakeSnmpCard card = FakeCards.Ietf();
        var transport = new FakeSnmpTransport(card);
        await using SnmpClient client = Client(transport, version);

        Dictionary<ObjectIdentifier, SnmpValue> values = await client.ReadAsync(
            [Oid(FakeCards.Ups + "2.4.0"), Oid(FakeCards.Ups + "5.1.0"), Oid(FakeCards.Ups + "2.3.0"), Oid(FakeCards.Ups + "9.4.0")], CancellationToken.None);

        Assert.HasCount(2, values);
        Assert.AreEqual(85, values[Oid(FakeCards.Ups + "2.4.0")].Number);
        Assert.AreEqual(42, values[Oid(FakeCards.Ups + "2.3.0")].Number);

        // v2c answers per varbind in one exchange; v1 fails the PDU at each missing object, which is dropped and the rest asked again.
        Assert.AreEqual(version == SnmpVersion.V1 ? 3 : 1, transport.Sent);
    }

    [TestMethod]
    public async Task Read_asks_a_few_objects_per_request()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        var transport = new FakeSnmpTransport(card);
        await using SnmpClient client = Client(transport, SnmpVersion.V2c, Quick with { MaxVarBindsPerGet = 4 });

        Dictionary<ObjectIdentifier, SnmpValue> values = await client.ReadAsync(SnmpUpsMappings.Ietf.Objects, CancellationToken.None);

        Assert.IsGreaterThan(20, values.Count);
        Assert.AreEqual((SnmpUpsMappings.Ietf.Objects.Count + 3) / 4, transport.Sent);
        Assert.IsTrue(card.Received.All(p => p.VarBinds.Count <= 4));
    }

    [TestMethod]
    public async Task A_tooBig_answer_splits_the_request()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        card.MaxVarBinds = 3;
        var transport = new FakeSnmpTransport(card);
        await using SnmpClient client = Client(transport, SnmpVersion.V2c, Quick with { MaxVarBindsPerGet = 16 });

        Dictionary<ObjectIdentifier, SnmpValue> values = await client.ReadAsync(SnmpUpsMappings.Ietf.Objects.Take(16).ToList(), CancellationToken.None);

        Assert.IsGreaterThan(10, values.Count);
        Assert.AreEqual("SmartOnline 1500", SnmpUpsMapping.Text(values[SnmpUpsMappings.Ietf.ModelObject]));
    }

    [TestMethod]
    public async Task A_silent_agent_times_out_after_every_retry()
    {
        FakeSnmpCard card = FakeCards.Ietf();
        card.Silent = true;
        var transport = new FakeSnmpTransport(card);
        await using SnmpClient client = Client(transport, SnmpVersion.V1);

        SnmpTimeoutException e = await Assert.ThrowsExactlyAsync<SnmpTimeoutException>(
            () => client.GetAsync([Oid("1.3.6.1.2.1.1.1.0")], CancellationToken.None));

        Assert.AreEqual(3, transport.Sent, "one try and two retries");
        StringAssert.Contains(e.Message, "fake-card:161");
        StringAssert.Contains(e.Message, "3 tries");
    }

    [TestMethod]
    public async Task A_wrong_community_is_a_timeout_as_agents_drop_it()
    {
        var transport = new FakeSnmpTransport(FakeCards.Ietf(community: "secret"));
        await using SnmpClient client = Client(transport, SnmpVersion.V2c, community: "public");

        await Assert.ThrowsExactlyAsync<SnmpTimeoutException>(() => client.GetAsync([Oid("1.3.6.1.2.1.1.1.0")], CancellationToken.None));
    }

    [TestMethod]
    public async Task Late_answers_to_other_requests_and_garbage_are_ignored()
    {
        var transport = new FakeSnmpTransport(FakeCards.Ietf());
        await using SnmpClient client = Client(transport, SnmpVersion.V2c);
        transport.Inject([0x30, 0x03, 0x02, 0x01]);
        transport.Inject(SnmpMessageCodec.Encode(new SnmpMessage(SnmpVersion.V2c, "public"u8.ToArray(),
            SnmpPdu.Response(-7, SnmpErrorStatus.NoError, 0, [new VarBind(Oid("1.3.6.1.2.1.1.1.0"), SnmpValue.OctetString("stale"))]))));

        SnmpPdu answer = await client.GetAsync([Oid("1.3.6.1.2.1.1.1.0")], CancellationToken.None);

        Assert.AreEqual("STRING: RFC 1628 test card", answer.VarBinds[0].Value.ToString());
        Assert.AreEqual(1, transport.Sent);
    }

    [TestMethod]
    [DataRow(SnmpVersion.V1)]
    [DataRow(SnmpVersion.V2c)]
    public async Task Walk_returns_the_subtree_in_order_and_stops_at_its_end(SnmpVersion version)
    {
        FakeSnmpCard card = FakeCards.Ietf();
        var transport = new FakeSnmpTransport(card);
        await using SnmpClient client = Client(transport, version, Quick with { MaxRepetitions = 3 });

        List<VarBind> battery = await client.WalkAsync(Oid("1.3.6.1.2.1.33.1.2"), CancellationToken.None);
        List<VarBind> config = await client.WalkAsync(Oid("1.3.6.1.2.1.33.1.9"), CancellationToken.None);

        CollectionAssert.AreEqual(
            new[] { "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "2.7.0" }.Select(s => FakeCards.Ups + s).ToArray(),
            battery.Select(v => v.Name.ToString()).ToArray());
        Assert.AreEqual(8, config.Count, "the walk of the last subtree ends with noSuchName (v1) or endOfMibView (v2c)");
        Assert.IsTrue(card.Received.All(p => p.Type == (version == SnmpVersion.V1 ? SnmpPduType.GetNextRequest : SnmpPduType.GetBulkRequest)));
    }

    [TestMethod]
    public async Task Walk_of_an_agent_going_backwards_fails_instead_of_looping()
    {
        var transport = new LoopingTransport();
        await using var client = new SnmpClient(transport, new CommunityMessageModel(SnmpVersion.V2c, "public"), Quick);

        SnmpClientException e = await Assert.ThrowsExactlyAsync<SnmpClientException>(() => client.WalkAsync(Oid("1.3.6.1.2.1.1"), CancellationToken.None));

        StringAssert.Contains(e.Message, "not walking forward");
    }

    [TestMethod]
    public async Task GetBulk_is_refused_for_v1()
    {
        await using SnmpClient client = Client(new FakeSnmpTransport(FakeCards.Ietf()), SnmpVersion.V1);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.GetBulkAsync(0, 10, [Oid("1.3.6.1.2.1.1")], CancellationToken.None));
    }

    /// <summary>An agent that always answers GetBulk with the same object, as a broken agent might.</summary>
    private sealed class LoopingTransport : ISnmpTransport
    {
        private byte[]? _answer;

        public string Peer => "looping:161";

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
        {
            Assert.IsTrue(SnmpMessageCodec.TryDecode(datagram.Span, out SnmpMessage? request, out _));
            _answer = SnmpMessageCodec.Encode(request with
            {
                Pdu = SnmpPdu.Response(request.Pdu.RequestId, SnmpErrorStatus.NoError, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.Integer(1))]),
            });
            return ValueTask.CompletedTask;
        }

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            byte[] answer = _answer ?? throw new InvalidOperationException("receive before send");
            answer.CopyTo(buffer);
            return ValueTask.FromResult(answer.Length);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
