using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.State;
using UpsAgent.Core.Timing;
using UpsAgent.Drivers.Nut;

namespace UpsAgent.Drivers.Tests.Nut;

/// <summary>
/// driver = nut facing a server that misbehaves: each connection gets the next scripted answer to
/// LIST VAR. The driver never publishes a broken reply, reconnects, and takes the first good one.
/// </summary>
[TestClass]
public sealed class NutDriverBadInputTests
{
    private const string GoodList = "BEGIN LIST VAR ups\nVAR ups ups.status \"OL\"\nVAR ups battery.charge \"97\"\nEND LIST VAR ups\n";

    /// <summary>Answers every connection's LIST VAR with the next of <paramref name="answers"/> (the last repeats), then GET TYPE and LIST CMD as upsd would.</summary>
    private static async Task ServeAsync(TcpListener listener, string[] answers, CancellationToken stop)
    {
        for (int connection = 0; !stop.IsCancellationRequested; connection++)
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(stop);
            NetworkStream stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            string answer = answers[Math.Min(connection, answers.Length - 1)];
            try
            {
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    string[] words = line.Split(' ');
                    string reply = words[0] switch
                    {
                        "LIST" when words[1] == "VAR" => answer,
                        "LIST" when words[1] == "CMD" => "BEGIN LIST CMD ups\nEND LIST CMD ups\n",
                        "GET" when words[1] == "TYPE" => $"TYPE ups {words[3]} STRING:{(words[3] == "ups.status" ? "x" : "8")}\n",
                        _ => "ERR UNKNOWN-COMMAND\n",
                    };
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), stop);
                    if (answer.Length == 0)
                    {
                        break; // close instead of answering
                    }
                }
            }
            catch (IOException)
            {
                // The driver gave up on this connection: expected for the bad answers.
            }
        }
    }

    [TestMethod]
    [DataRow("", DisplayName = "connection closed before the answer")]
    [DataRow("BEGIN LIST VAR ups\nVAR ups ups.status \"OB\"\n", DisplayName = "list never ended")]
    [DataRow("garbage \u0001\u0002 with no meaning\n", DisplayName = "not a list")]
    [DataRow("BEGIN LIST VAR ups\nVAR ups ups.status \"", DisplayName = "line cut off")]
    [DataRow("overlong", DisplayName = "a 100 KiB line")]
    public async Task A_broken_answer_is_never_published_and_the_next_good_one_is(string bad)
    {
        if (bad == "overlong")
        {
            bad = "BEGIN LIST VAR ups\nVAR ups ups.status \"" + new string('x', 100 * 1024) + "\"\n";
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task server = ServeAsync(listener, [bad, GoodList], stop.Token);
        var store = new UpsStateStore("far", "repeated", new SystemClock());
        var options = new NutDriverOptions
        {
            Ups = "ups",
            Host = "127.0.0.1",
            Port = ((IPEndPoint)listener.LocalEndpoint).Port,
            PollInterval = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromMilliseconds(500),
        };
        var driver = new NutDriver(store.CreateWriter(), options, new SystemClock(), NullLogger.Instance);
        using var run = new CancellationTokenSource();
        Task running = driver.RunAsync(run.Token);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (store.Current.DataState != UpsDataState.Fresh && DateTime.UtcNow < deadline)
        {
            Assert.AreNotEqual("OB", store.Current.GetValue("ups.status"), "a list that never ended was published");
            await Task.Delay(20);
        }

        Assert.AreEqual(UpsDataState.Fresh, store.Current.DataState);
        Assert.AreEqual("OL", store.Current.GetValue("ups.status"));
        Assert.AreEqual("97", store.Current.GetValue("battery.charge"));
        Assert.AreEqual(8, store.Current.Find("battery.charge")!.MaxLength);
        Assert.AreEqual(0, store.Current.Find("ups.status")!.MaxLength, "a malformed STRING:x is ignored");
        Assert.IsFalse(running.IsCompleted, "the driver keeps running");

        await run.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.AreEqual(UpsDataState.NotConnected, store.Current.DataState);
        await stop.CancelAsync();
        try
        {
            await server;
        }
        catch (OperationCanceledException)
        {
            // The scripted server stops by cancellation.
        }
    }
}
