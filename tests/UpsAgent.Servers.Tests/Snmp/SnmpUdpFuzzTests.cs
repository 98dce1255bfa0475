using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Protocols.Snmp;
using UpsAgent.Servers.Snmp;
using UpsAgent.Servers.Tests.Nut;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Servers.Tests.Snmp;

/// <summary>
/// Random and mutated v1, v2c and v3 datagrams against the agent over real UDP on loopback, in
/// batches each followed by a valid request that must still be answered. Bytes in and out are
/// counted per class: an unauthenticated datagram is never answered with more bytes than it carried,
/// except the v3 discovery Report every manager needs (RFC 3414 section 4), which stays small.
/// </summary>
[TestClass]
public sealed class SnmpUdpFuzzTests
{
    private const int Datagrams = 100_000;
    private const int Batch = 20;

    /// <summary>The discovery Report may exceed the request by at most this (engine ID twice, boots, time, one counter).</summary>
    private const int DiscoveryAllowance = 96;

    private static readonly byte[] EngineId = Convert.FromHexString("80000000050102030405060708");

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task A_hundred_thousand_datagrams_over_udp_leave_the_agent_serving_and_amplify_nothing()
    {
        var clock = new FakeClock();
        var store = new UpsStateStore("ups", "test", clock);
        store.CreateWriter().Publish(SnmpAgentFixture.OnLine.Select(p => new UpsVariable(p.Key, p.Value)), []);
        var options = new SnmpAgentOptions
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
            Communities = [new SnmpCommunity("public", SnmpAccess.ReadOnly), new SnmpCommunity("private", SnmpAccess.ReadWrite)],
            Users = [new SnmpUser("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", SnmpAccess.ReadOnly)],
            EngineId = EngineId,
            EngineBoots = 1,
        };
        await using var server = new SnmpServer(options, new UpsRegistry([new UpsUnit(store, new FakeCommandTarget())]), clock, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);
        UsmUser user = UsmUser.FromPasswords("upsuser", UsmAuthProtocol.Sha1, "authpass123", UsmPrivProtocol.Aes128, "privpass123", EngineId);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.ReceiveBufferSize = 1 << 20;
        client.Connect(server.BoundEndpoints.Single());
        var random = new Random(3414);
        var seeds = new Seeds(user, random);
        byte[] answer = new byte[65_536];
        var stopwatch = Stopwatch.StartNew();
        long memoryBefore = Process.GetCurrentProcess().WorkingSet64;
        long unauthenticatedIn = 0, unauthenticatedOut = 0, discoveryIn = 0, discoveryOut = 0, authenticatedAnswers = 0;
        int sent = 0;
        int probeId = 0;
        while (sent < Datagrams)
        {
            var batch = new List<(byte[] Bytes, bool Authentic, int MessageId)>();
            for (int i = 0; i < Batch; i++)
            {
                byte[] datagram = seeds.Next();
                (bool authentic, int messageId) = Classify(datagram, user);
                batch.Add((datagram, authentic, messageId));
                if (!authentic)
                {
                    unauthenticatedIn += datagram.Length;
                }

                client.Send(datagram);
            }

            sent += Batch;
            probeId++;
            client.Send(SnmpAgentFixture.Request(SnmpVersion.V2c, "public",
                new SnmpPdu(SnmpPduType.GetRequest, probeId, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.33.1.2.4.0"), SnmpValue.Null)])));
            while (true)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                int length;
                try
                {
                    length = await client.ReceiveAsync(answer, SocketFlags.None, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new AssertFailedException($"the valid request after datagram {sent} was not answered");
                }

                ReadOnlySpan<byte> reply = answer.AsSpan(0, length);
                if (SnmpMessageCodec.TryDecode(reply, out SnmpMessage? community, out _))
                {
                    Assert.IsTrue(community.Community.AsSpan().SequenceEqual("public"u8) || community.Community.AsSpan().SequenceEqual("private"u8),
                        "only known communities are answered");
                    if (community.Pdu.RequestId == probeId && community.Pdu.VarBinds is [{ Value.Type: SnmpType.Integer }])
                    {
                        Assert.AreEqual(SnmpValue.Integer(100), community.Pdu.VarBinds[0].Value);
                        break;
                    }

                    authenticatedAnswers++;
                    continue;
                }

                Assert.IsTrue(SnmpV3MessageCodec.TryDecode(reply, out SnmpV3Message? v3, out _), $"the agent sent something that is no SNMP message: {Convert.ToHexString(reply)}");
                if (v3.IsAuthenticated)
                {
                    Assert.IsTrue(SnmpV3MessageCodec.Authenticate(reply, v3, user), "authenticated answers carry the user's MAC");
                    authenticatedAnswers++;
                    continue;
                }

                bool discovery = v3.ScopedPdu?.Pdu.VarBinds is [{ } only] && only.Name.ToString() == "1.3.6.1.6.3.15.1.1.4.0";
                (byte[] Bytes, bool Authentic, int MessageId)[] sources = batch.Where(b => !b.Authentic && b.MessageId == v3.MessageId).ToArray();
                Assert.IsNotEmpty(sources, $"an unauthenticated answer to a datagram not sent: msgID {v3.MessageId}");
                int carried = sources.Max(s => s.Bytes.Length);
                if (discovery)
                {
                    discoveryIn += carried;
                    discoveryOut += length;
                    Assert.IsLessThanOrEqualTo(carried + DiscoveryAllowance, length, "discovery Reports stay small");
                }
                else
                {
                    unauthenticatedOut += length;
                    Assert.IsLessThanOrEqualTo(carried, length, $"an unauthenticated error answered with {length} bytes to {carried}");
                }
            }
        }

        GC.Collect();
        long memoryGrowth = Process.GetCurrentProcess().WorkingSet64 - memoryBefore;
        string summary = $"{sent} datagrams in {stopwatch.Elapsed.TotalSeconds:F1} s; unauthenticated {unauthenticatedIn} bytes in, {unauthenticatedOut} out; "
            + $"discovery {discoveryIn} in, {discoveryOut} out; {authenticatedAnswers} authenticated answers; working set +{memoryGrowth / 1024} KiB";
        Console.WriteLine(summary);
        Assert.IsLessThanOrEqualTo(unauthenticatedIn, unauthenticatedOut, summary);
        Assert.IsGreaterThan(100, authenticatedAnswers, "valid mutations were served: " + summary);
        Assert.IsLessThan(200L * 1024 * 1024, memoryGrowth, "bounded memory: " + summary);
        Assert.IsGreaterThan(100u, server.Agent.Counters.InAsnParseErrors);
        Assert.IsGreaterThan(10u, server.Agent.Counters.WrongDigests + server.Agent.Counters.UnknownUserNames + server.Agent.Counters.DecryptionErrors);
    }

    /// <summary>Authentic = what the agent may answer in full: a known community, or a v3 message carrying the user's MAC.</summary>
    private static (bool Authentic, int MessageId) Classify(byte[] datagram, UsmUser user)
    {
        if (SnmpMessageCodec.TryDecode(datagram, out SnmpMessage? message, out _))
        {
            bool known = message.Community.AsSpan().SequenceEqual("public"u8) || message.Community.AsSpan().SequenceEqual("private"u8);
            return (known, -1);
        }

        if (SnmpV3MessageCodec.TryDecode(datagram, out SnmpV3Message? v3, out _))
        {
            bool authentic = v3.IsAuthenticated && v3.Security.UserName.AsSpan().SequenceEqual(user.Name) && SnmpV3MessageCodec.Authenticate(datagram, v3, user);
            return (authentic, v3.MessageId);
        }

        return (false, -1);
    }

    /// <summary>Valid and invalid v1, v2c and v3 requests, sent as they are, mutated, or replaced by random bytes.</summary>
    private sealed class Seeds(UsmUser user, Random random)
    {
        private int _messageId = 1000;

        public byte[] Next()
        {
            int kind = random.Next(10);
            if (kind == 0)
            {
                byte[] bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                if (bytes.Length > 2)
                {
                    bytes[0] = 0x30;
                }

                return bytes;
            }

            byte[] seed = kind switch
            {
                1 => SnmpAgentFixture.Request(SnmpVersion.V1, SnmpPduType.GetRequest, "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.33.1.1.2.0"),
                2 => SnmpAgentFixture.Request(SnmpVersion.V2c, "public",
                    new SnmpPdu(SnmpPduType.GetBulkRequest, 9, 1, 25, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.3"), SnmpValue.Null), new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.33"), SnmpValue.Null)])),
                3 => SnmpAgentFixture.Request(SnmpVersion.V2c, "wrong", new SnmpPdu(SnmpPduType.GetRequest, 1, 0, 0, [new VarBind(ObjectIdentifier.Parse("1.3.6.1.2.1.1.1.0"), SnmpValue.Null)])),
                4 => V3(SnmpV3Flags.Reportable, UsmSecurityParameters.Discovery, null, []),
                5 or 6 => V3(user.Level | SnmpV3Flags.Reportable, new UsmSecurityParameters(EngineId, 1, 0, user.Name, [], Salt()), user, "1.3.6.1.2.1.33.1.2.4.0", "1.3.6.1.2.1.1.1.0"),
                7 => V3(user.Level | SnmpV3Flags.Reportable, new UsmSecurityParameters(EngineId, 1, 0, user.Name, [], Salt()), Wrong, "1.3.6.1.2.1.1.1.0"),
                8 => V3(SnmpV3Flags.Auth | SnmpV3Flags.Reportable, new UsmSecurityParameters(EngineId, 1, 0, Encoding.ASCII.GetBytes("nobody"), [], []), Wrong, "1.3.6.1.2.1.1.1.0"),
                _ => SnmpAgentFixture.Request(SnmpVersion.V2c, SnmpPduType.GetNextRequest, "1.3.6.1.2.1.33"),
            };
            return random.Next(3) == 0 ? seed : Mutate(seed);
        }

        private UsmUser Wrong { get; } = UsmUser.FromPasswords("upsuser", UsmAuthProtocol.Sha1, "wrongpass1", UsmPrivProtocol.Aes128, "wrongpass2", EngineId);

        private byte[] Salt()
        {
            byte[] salt = new byte[8];
            random.NextBytes(salt);
            return salt;
        }

        private byte[] V3(SnmpV3Flags flags, UsmSecurityParameters security, UsmUser? key, params string[] names)
        {
            var pdu = new SnmpPdu(SnmpPduType.GetRequest, random.Next(), 0, 0, names.Select(n => new VarBind(ObjectIdentifier.Parse(n), SnmpValue.Null)).ToList());
            var message = new SnmpV3Message(Interlocked.Increment(ref _messageId), 65507, flags, security, new ScopedPdu(EngineId, [], pdu), null);
            byte[] wire = new byte[2048];
            Assert.IsTrue(SnmpV3MessageCodec.TryEncodeSecured(message, key, wire, out int written));
            return wire[..written];
        }

        private byte[] Mutate(byte[] seed)
        {
            var bytes = new List<byte>(seed);
            for (int e = random.Next(1, 4); e > 0 && bytes.Count > 0; e--)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(5))
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
                    default:
                        bytes[at] = (byte)new[] { 0x80, 0x81, 0x84, 0xFF, 0x7F }[random.Next(5)];
                        break;
                }
            }

            return [.. bytes];
        }
    }
}
