using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using UpsAgent.Core.Timing;
using UpsAgent.Servers.Nut;
using UpsAgent.TestKit.Transport;

namespace UpsAgent.Servers.Tests.Nut;

/// <summary>
/// Bounded fuzzing of the whole session stack: random and mutated request lines through
/// in-memory sessions, then hostile connection patterns against a real loopback server. Seeded,
/// capped by count and time; a well-behaved client must get exact answers throughout.
/// </summary>
[TestClass]
[DoNotParallelize] // timing-sensitive under load: the good client must poll within the idle timeout
public sealed class NutServerFuzzTests
{
    private const int Seed = 3493;
    private const int TargetLines = 100_000;
    private static readonly TimeSpan TimeCap = TimeSpan.FromSeconds(20);

    private static readonly string[] Corpus =
    [
        "VER", "NETVER", "PROTVER", "HELP", "STARTTLS", "LOGOUT",
        "GET VAR static ups.status", "GET VAR static battery.charge", "GET VAR nosuch server.info",
        "GET TYPE static ups.id", "GET TYPE static ups.beeper.status", "GET DESC static ups.id",
        "GET CMDDESC static load.off", "GET UPSDESC static", "GET NUMLOGINS outage", "GET TRACKING",
        "GET TRACKING 2DDC5036-F665-4D29-BE4C-0374D091D263",
        "LIST UPS", "LIST VAR static", "LIST RW static", "LIST CMD static", "LIST CLIENT outage",
        "LIST ENUM static ups.beeper.status", "LIST RANGE static ups.delay.shutdown",
        "USERNAME admin", "PASSWORD adminpass", "USERNAME monprimary", "PASSWORD primpass",
        "LOGIN outage", "PRIMARY outage", "MASTER outage", "FSD outage",
        "SET VAR static ups.id \"rack \\\"b\\\"\"", "SET VAR static ups.delay.shutdown 30",
        "SET VAR static ups.beeper.status muted", "SET TRACKING ON", "SET TRACKING OFF",
        "INSTCMD static load.off", "INSTCMD static beeper.disable 5",
    ];

    private static readonly byte[] Interesting =
        [(byte)'"', (byte)'\\', (byte)'#', (byte)'=', (byte)' ', (byte)'\t', (byte)'\r', 0x00, 0x01, 0x7F, 0x80, 0xC3, 0xFF, (byte)'A', (byte)'.'];

    [TestMethod]
    public async Task Random_and_mutated_requests_never_break_a_session_or_the_server()
    {
        await using var bed = new NutTestBed();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        long linesSent = 0;
        int longestReplyLine = 0;
        int sessions = 0;

        using var done = new CancellationTokenSource();
        Task<int> wellBehaved = WellBehavedInMemoryClientAsync(bed, done.Token);

        async Task WorkerAsync(int worker)
        {
            var random = new Random(Seed + worker);
            while (Interlocked.Read(ref linesSent) < TargetLines && clock.Elapsed < TimeCap)
            {
                Interlocked.Increment(ref sessions);
                InMemoryClient client = bed.Connect(out Task session);
                int lineLength = 0;
                Task<long> drain = client.DrainAsync(buffer =>
                {
                    foreach (ReadOnlyMemory<byte> segment in buffer)
                    {
                        foreach (byte b in segment.Span)
                        {
                            if (b == (byte)'\n')
                            {
                                InterlockedMax(ref longestReplyLine, lineLength + 1);
                                lineLength = 0;
                            }
                            else
                            {
                                lineLength++;
                            }
                        }
                    }
                }, CancellationToken.None);

                // Up to a few hundred batches per connection; LOGOUT or an overlong line ends it sooner.
                for (int batch = 0; batch < 300 && !session.IsCompleted && clock.Elapsed < TimeCap; batch++)
                {
                    var bytes = new List<byte>(4096);
                    int count = random.Next(1, 40);
                    for (int i = 0; i < count; i++)
                    {
                        bytes.AddRange(NextLine(random));
                        bytes.Add((byte)'\n');
                    }

                    await client.SendAsync(bytes.ToArray());
                    Interlocked.Add(ref linesSent, count);
                }

                await client.CloseSendingAsync();
                await session.WaitAsync(TimeSpan.FromSeconds(30));
                await drain.WaitAsync(TimeSpan.FromSeconds(30));
                await client.DisposeAsync();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() => WorkerAsync(w))));
        await done.CancelAsync();
        int goodAnswers = await wellBehaved;

        Assert.IsTrue(linesSent >= TargetLines || clock.Elapsed >= TimeCap, $"sent {linesSent} lines");
        Assert.IsGreaterThan(10_000, linesSent, $"only {linesSent} lines in {clock.Elapsed}");
        Assert.IsLessThanOrEqualTo(511, longestReplyLine);
        Assert.IsGreaterThan(0, goodAnswers);
        await NutTestBed.EventuallyAsync(() => bed.Server.GetStatus().OpenConnections == 0, "every fuzzed session has ended");
        Assert.IsEmpty(bed.Server.GetStatus().LoginsPerUps);

        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.IsLessThan(32L * 1024 * 1024, memoryAfter - memoryBefore, $"memory grew from {memoryBefore} to {memoryAfter}");
        Console.WriteLine($"fuzz: {linesSent} lines over {sessions} sessions in {clock.Elapsed.TotalSeconds:F1} s; {goodAnswers} checked answers");
    }

    [TestMethod]
    public async Task Hostile_connections_against_a_loopback_server_leave_good_clients_served()
    {
        await using var bed = new NutTestBed();
        var options = new NutServerOptions
        {
            Listen = [new IPEndPoint(IPAddress.Loopback, 0)],
            MaxConnections = 16,
            IdleTimeout = TimeSpan.FromSeconds(2),
        };
        await using var server = new NutServer(options, bed.Registry, bed.Users, new SystemClock(), bed.Logger);
        await server.StartAsync(CancellationToken.None);
        IPEndPoint endpoint = server.BoundEndpoints[0];
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        await using var good = await TcpLineClient.ConnectAsync(endpoint);
        Assert.AreEqual("1.3", await good.RequestAsync("NETVER"));
        using var stop = new CancellationTokenSource();
        int goodAnswers = 0;
        Task goodLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.AreEqual("VAR static battery.charge \"100\"", await good.RequestAsync("GET VAR static battery.charge"));
                goodAnswers++;
                await Task.Delay(20);
            }
        });

        // Half-open: a partial line, then silence; idle ones: nothing at all. They connect before the churn, so
        // they hold real slots (not refused by the limit) and the attack lasts at least one idle timeout.
        List<Socket> halfOpen = await OpenIdleAsync(endpoint, "GET VAR sta", 4);
        List<Socket> idle = await OpenIdleAsync(endpoint, string.Empty, 4);
        await NutTestBed.EventuallyAsync(() => server.GetStatus().OpenConnections == 9, "the good client and eight idle ones are in");
        var hostile = new List<Task>
        {
            // Both kinds must be dropped for idleness.
            Task.Run(() => AwaitServerCloseAsync(halfOpen)),
            Task.Run(() => AwaitServerCloseAsync(idle)),
            // A megabyte without a newline.
            Task.Run(() => SendOverlongAsync(endpoint)),
            // Churn well above the connection limit.
            Task.Run(() => ChurnAsync(endpoint, 300)),
        };
        await Task.WhenAll(hostile).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await goodLoop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsGreaterThan(10, goodAnswers);
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await good.RequestAsync("GET VAR static ups.status"));
        await NutTestBed.EventuallyAsync(() => server.GetStatus().OpenConnections == 1, "only the good client is left");
        Assert.IsGreaterThan(0, server.GetStatus().RejectedConnections);
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.IsLessThan(32L * 1024 * 1024, memoryAfter - memoryBefore, $"memory grew from {memoryBefore} to {memoryAfter}");
    }

    private static async Task<int> WellBehavedInMemoryClientAsync(NutTestBed bed, CancellationToken done)
    {
        await using InMemoryClient client = bed.Connect();
        int answers = 0;
        while (!done.IsCancellationRequested)
        {
            Assert.AreEqual("VAR static battery.charge \"100\"", await client.RequestAsync("GET VAR static battery.charge"));
            List<string> list = await client.RequestListAsync("LIST CMD static");
            CollectionAssert.AreEqual(new[] { "BEGIN LIST CMD static", "CMD static beeper.disable", "CMD static load.off", "END LIST CMD static" }, list);
            answers += 2;
            await Task.Delay(1, CancellationToken.None);
        }

        return answers;
    }

    private static byte[] NextLine(Random random)
    {
        if (random.Next(10) == 0)
        {
            byte[] noise = new byte[random.Next(0, 80)];
            random.NextBytes(noise);
            return noise.Where(b => b != (byte)'\n').ToArray();
        }

        var line = new List<byte>(Encoding.ASCII.GetBytes(Corpus[random.Next(Corpus.Length)]));
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = line.Count == 0 ? 0 : random.Next(line.Count);
            byte pick = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
            if (pick == (byte)'\n')
            {
                pick = (byte)'"';
            }

            switch (random.Next(8))
            {
                case 0 when line.Count > 0:
                    line[at] = pick;
                    break;
                case 1:
                    line.Insert(at, pick);
                    break;
                case 2 when line.Count > 0:
                    line.RemoveAt(at);
                    break;
                case 3:
                    line.RemoveRange(at, line.Count - at);
                    break;
                case 4:
                    line.InsertRange(at, Enumerable.Repeat((byte)'x', random.Next(400, 700)));
                    break;
                case 5:
                    line.AddRange(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(" w", random.Next(20, 40)))));
                    break;
                case 6 when line.Count > 0:
                    line[at] = (byte)char.ToLowerInvariant((char)line[at]);
                    break;
                default:
                    line.InsertRange(at, line.GetRange(0, Math.Min(at, line.Count)));
                    break;
            }
        }

        // Keep LOGOUT rare enough that sessions carry some state, frequent enough to churn them.
        return line.ToArray();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static async Task<List<Socket>> OpenIdleAsync(IPEndPoint endpoint, string partial, int count)
    {
        var sockets = new List<Socket>();
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            sockets.Add(socket);
            await socket.ConnectAsync(endpoint);
            if (partial.Length > 0)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes(partial));
            }
        }

        return sockets;
    }

    private static async Task AwaitServerCloseAsync(List<Socket> sockets)
    {
        try
        {
            // The server must close them for idleness: a read then sees the end of the stream.
            byte[] buffer = new byte[64];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            foreach (Socket socket in sockets)
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await socket.ReceiveAsync(buffer, cts.Token);
                    }
                    catch (SocketException)
                    {
                        break;
                    }

                    if (read == 0)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task SendOverlongAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        byte[] chunk = Encoding.ASCII.GetBytes(new string('z', 64 * 1024));
        try
        {
            for (int i = 0; i < 16; i++)
            {
                await socket.SendAsync(chunk);
            }
        }
        catch (SocketException)
        {
            // The server dropped us for the overlong line: expected.
        }
    }

    private static async Task ChurnAsync(IPEndPoint endpoint, int connections)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endpoint, ct);
                if (i % 3 == 0)
                {
                    await socket.SendAsync("GET VAR static ups.status\nLIST UPS\n"u8.ToArray(), ct);
                    byte[] buffer = new byte[256];
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    _ = await socket.ReceiveAsync(buffer, cts.Token);
                }
                else if (i % 3 == 1)
                {
                    // Abortive close with data in flight.
                    await socket.SendAsync("GET VAR static"u8.ToArray(), ct);
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Rejected or reset by the limit: expected under churn.
            }
        });
    }
}
