using System.Net;
using System.Security.Cryptography.X509Certificates;
using UpsAgent.Core.Timing;
using UpsAgent.Servers.Nut;

namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutServerLoopbackTests
{
    private static NutServer CreateServer(NutTestBed bed, NutServerOptions options) =>
        new(options, bed.Registry, bed.Users, new SystemClock(), bed.Logger);

    private static NutServerOptions Loopback(int maxConnections = 1000, TimeSpan? idle = null, X509Certificate2? certificate = null, int socketLoops = -1) => new()
    {
        Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
        SocketLoops = socketLoops,
        MaxConnections = maxConnections,
        IdleTimeout = idle ?? TimeSpan.FromSeconds(60),
        Certificate = certificate,
    };

    [TestMethod]
    public async Task Server_binds_port_zero_to_a_real_port_and_answers_over_tcp()
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback());
        await server.StartAsync(CancellationToken.None);
        Assert.HasCount(1, server.BoundEndpoints);
        Assert.AreNotEqual(0, server.BoundEndpoints[0].Port);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
        await client.SendAsync("GET VAR static battery.charge\nNETVER\n");
        Assert.AreEqual("VAR static battery.charge \"100\"", await client.ReadLineAsync());
        Assert.AreEqual("1.3", await client.ReadLineAsync());
        Assert.IsTrue(server.GetStatus().Listening);
    }

    // Our epoll loops (the default, here two) and the runtime's socket engine (0) serve alike.
    [TestMethod]
    [DataRow(2)]
    [DataRow(0)]
    public async Task A_large_pipelined_batch_over_tcp_is_answered_completely_and_in_order(int socketLoops)
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback(socketLoops: socketLoops));
        await server.StartAsync(CancellationToken.None);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        var batch = new System.Text.StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            batch.Append(i % 2 == 0 ? "LIST VAR static\n" : "GET VAR static ups.status\n");
        }

        Task send = client.SendAsync(batch.ToString());
        for (int i = 0; i < 3000; i++)
        {
            if (i % 2 == 0)
            {
                Assert.AreEqual("BEGIN LIST VAR static", await client.ReadLineAsync());
                for (int v = 0; v < 7; v++)
                {
                    StringAssert.StartsWith(await client.ReadLineAsync(), "VAR static ");
                }

                Assert.AreEqual("END LIST VAR static", await client.ReadLineAsync());
            }
            else
            {
                Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.ReadLineAsync());
            }
        }

        await send;
        Assert.AreEqual(3000, server.GetStatus().Clients[0].Requests);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(0)]
    public async Task Stopping_the_server_closes_open_sessions(int socketLoops)
    {
        await using var bed = new NutTestBed();
        NutServer server = CreateServer(bed, Loopback(socketLoops: socketLoops));
        await server.StartAsync(CancellationToken.None);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        await server.StopAsync();
        Assert.IsNull(await client.ReadLineAsync());
        Assert.IsFalse(server.GetStatus().Listening);
        await server.DisposeAsync();
    }

    // In one read: a hashed password (whose check runs off the socket's thread) followed by a
    // write that needs it, then a line with a parse error that takes the rest of that read with it.
    [TestMethod]
    [DataRow(2)]
    [DataRow(0)]
    public async Task Requests_in_one_read_after_a_hashed_password_wait_for_its_check_and_a_parse_error_drops_the_rest(int socketLoops)
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback(socketLoops: socketLoops));
        await server.StartAsync(CancellationToken.None);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        await client.SendAsync($"USERNAME hashed\nPASSWORD {NutTestBed.HashedPassword}\nSET VAR static ups.id \"tcp\"\nNETVER\n");
        Assert.AreEqual("OK", await client.ReadLineAsync());
        Assert.AreEqual("OK", await client.ReadLineAsync());
        Assert.AreEqual("OK", await client.ReadLineAsync());
        Assert.AreEqual("1.3", await client.ReadLineAsync());

        // One small send arrives as one read: HELP goes with the bad line before it, unanswered.
        await client.SendAsync("NETVER\nGET VAR \"bad # quote\"\nHELP\n");
        Assert.AreEqual("1.3", await client.ReadLineAsync());
        Assert.AreEqual("ERR UNKNOWN-UPS", await client.RequestAsync("GET VAR nosuch ups.status"));
    }

    [TestMethod]
    public async Task Connections_beyond_the_limit_are_closed_at_once_and_counted()
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback(maxConnections: 2));
        await server.StartAsync(CancellationToken.None);
        IPEndPoint endpoint = server.BoundEndpoints[0];
        await using var first = await TcpLineClient.ConnectAsync(endpoint);
        await using var second = await TcpLineClient.ConnectAsync(endpoint);
        Assert.AreEqual("1.3", await first.RequestAsync("NETVER"));
        Assert.AreEqual("1.3", await second.RequestAsync("NETVER"));

        await using var third = await TcpLineClient.ConnectAsync(endpoint);
        Assert.IsNull(await third.ReadLineAsync());
        Assert.AreEqual(1, server.GetStatus().RejectedConnections);
        Assert.AreEqual("1.3", await first.RequestAsync("NETVER"));

        await first.DisposeAsync();
        await NutTestBed.EventuallyAsync(() => server.GetStatus().OpenConnections == 1, "the closed client is gone");
        await using var fourth = await TcpLineClient.ConnectAsync(endpoint);
        Assert.AreEqual("1.3", await fourth.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task Starttls_works_over_tcp()
    {
        using X509Certificate2 certificate = TestCertificates.CreateSelfSigned();
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback(certificate: certificate));
        await server.StartAsync(CancellationToken.None);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        Assert.AreEqual("OK STARTTLS", await client.RequestAsync("STARTTLS"));
        await client.UpgradeToTlsAsync();
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
        Assert.AreEqual("ERR ALREADY-SSL-MODE", await client.RequestAsync("STARTTLS"));
    }

    [TestMethod]
    public async Task Idle_clients_are_dropped_after_the_configured_timeout()
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback(idle: TimeSpan.FromMilliseconds(300)));
        await server.StartAsync(CancellationToken.None);
        await using var client = await TcpLineClient.ConnectAsync(server.BoundEndpoints[0]);
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        Assert.IsNull(await client.ReadLineAsync(TimeSpan.FromSeconds(10)));
    }

    [TestMethod]
    public async Task Starting_twice_or_on_a_taken_port_fails_loudly()
    {
        await using var bed = new NutTestBed();
        await using NutServer server = CreateServer(bed, Loopback());
        await server.StartAsync(CancellationToken.None);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => server.StartAsync(CancellationToken.None));
        await using NutServer clash = CreateServer(bed, new NutServerOptions { Listen = server.BoundEndpoints });
        await Assert.ThrowsExactlyAsync<System.Net.Sockets.SocketException>(() => clash.StartAsync(CancellationToken.None));
    }
}
