using System.Diagnostics;
using System.Text;
using UpsAgent.Protocols.Snmp;

namespace UpsAgent.Servers.Tests.Snmp;

/// <summary>
/// Bounded fuzzing of decoder and agent together (the Garnet.fuzz idea: random and mutated inputs,
/// fixed seeds so a failure replays). Every answer must be a well-formed Response within the size
/// limit, only requests carrying a known community are answered, and a valid request is still
/// served correctly between the bad ones.
/// </summary>
[TestClass]
public sealed class SnmpAgentFuzzTests
{
    private const int Datagrams = 120_000;

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void Random_and_mutated_datagrams_never_throw_and_valid_requests_are_still_served()
    {
        var f = new SnmpAgentFixture();
        var random = new Random(1628);
        byte[][] seeds = Seeds();
        byte[] probe = SnmpAgentFixture.Request(SnmpVersion.V2c, SnmpPduType.GetRequest, "1.3.6.1.2.1.33.1.2.4.0");
        byte[] response = new byte[65_507];
        var clock = Stopwatch.StartNew();
        int answered = 0;
        for (int i = 0; i < Datagrams; i++)
        {
            byte[] datagram = i % 4 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
            int length = f.Agent.Handle(datagram, response);
            if (length > 0)
            {
                answered++;
                Assert.IsLessThanOrEqualTo(f.Options.MaxMessageSize, length);
                Assert.IsTrue(SnmpMessageCodec.TryDecode(datagram, out SnmpMessage? request, out _), "only decodable requests are answered");
                Assert.IsTrue(request.Community.AsSpan().SequenceEqual("public"u8) || request.Community.AsSpan().SequenceEqual("private"u8),
                    "unknown communities are never answered");
                Assert.IsTrue(SnmpMessageCodec.TryDecode(response.AsSpan(0, length), out SnmpMessage? answer, out _));
                Assert.AreEqual(SnmpPduType.Response, answer.Pdu.Type);
                Assert.AreEqual(request.Pdu.RequestId, answer.Pdu.RequestId);
            }

            if (i % 1000 == 0)
            {
                SnmpPdu served = f.Ask(probe) ?? throw new AssertFailedException($"valid request unanswered after datagram {i}");
                Assert.AreEqual(SnmpValue.Integer(100), served.VarBinds.Single().Value);
            }
        }

        Assert.IsGreaterThan(100u, f.Agent.Counters.InAsnParseErrors);
        Assert.IsGreaterThan(100, answered, "mutations that stay valid are answered");
        Assert.IsLessThan(TimeSpan.FromSeconds(45), clock.Elapsed);
    }

    private static byte[][] Seeds()
    {
        var seeds = new List<byte[]>();
        foreach (SnmpVersion version in new[] { SnmpVersion.V1, SnmpVersion.V2c })
        {
            seeds.Add(SnmpAgentFixture.Request(version, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.33.1.1.2.0"));
            seeds.Add(SnmpAgentFixture.Request(version, SnmpPduType.GetNextRequest, "1.3.6.1.2.1.33"));
            seeds.Add(SnmpAgentFixture.Request(version, "private",
                new SnmpPdu(SnmpPduType.SetRequest, 3, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.5.0"), SnmpValue.OctetString("x"))])));
        }

        seeds.Add(SnmpAgentFixture.Request(SnmpVersion.V2c, "public",
            new SnmpPdu(SnmpPduType.GetBulkRequest, 9, 1, 25, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.3"), SnmpValue.Null), new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.33"), SnmpValue.Null)])));
        seeds.Add(SnmpAgentFixture.Request(SnmpVersion.V2c, "wrong", new SnmpPdu(SnmpPduType.GetRequest, 1, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Null)])));
        seeds.Add(Encoding.ASCII.GetBytes("GET ups.status"));
        return [.. seeds];
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        if (bytes.Length > 2 && random.Next(2) == 0)
        {
            bytes[0] = 0x30;
        }

        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 4:
                    // Length octets are where decoders break: make one long-form, indefinite or huge.
                    bytes[at] = (byte)(new[] { 0x80, 0x81, 0x84, 0xFF, 0x7F }[random.Next(5)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
