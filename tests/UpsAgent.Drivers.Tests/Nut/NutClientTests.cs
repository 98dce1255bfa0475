using System.Net;
using System.Net.Sockets;
using System.Text;
using UpsAgent.Drivers.Nut;

namespace UpsAgent.Drivers.Tests.Nut;

/// <summary>NutClient against a scripted server that answers as upsd 2.8.0 does (nut.md 1.5 transcripts).</summary>
[TestClass]
public sealed class NutClientTests
{
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serve;
        private readonly CancellationTokenSource _stop = new();

        public ScriptedServer(Func<string, string?> answer)
        {
            _listener.Start();
            _serve = ServeAsync(answer);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public List<string> Received { get; } = [];

        private async Task ServeAsync(Func<string, string?> answer)
        {
            try
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                NetworkStream stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.UTF8);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    lock (Received)
                    {
                        Received.Add(line);
                    }

                    string? reply = answer(line);
                    if (reply is null)
                    {
                        return; // hang up
                    }

                    if (reply.Length > 0)
                    {
                        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serve;
        }
    }

    private static string? Upsd(string request) => request switch
    {
        "GET VAR ups ups.status" => "VAR ups ups.status \"OB LB\"\n",
        "GET VAR ups ups.id" => "VAR ups ups.id \"rack \\\"B\\\" \\\\ \\#2\"\n",
        "GET VAR ups nothing" => "ERR VAR-NOT-SUPPORTED\n",
        "GET NUMLOGINS ups" => "NUMLOGINS ups 3\n",
        "LIST VAR ups" => "BEGIN LIST VAR ups\nVAR ups battery.charge \"100\"\nVAR ups ups.status \"OL\"\nEND LIST VAR ups\n",
        "PRIMARY ups" => "ERR UNKNOWN-COMMAND\n",
        "MASTER ups" => "OK MASTER-GRANTED\n",
        "LOGIN ups" => "OK\n",
        "HANGUP" => null,
        "SILENT" => string.Empty,
        _ when request.StartsWith("USERNAME", StringComparison.Ordinal) || request.StartsWith("PASSWORD", StringComparison.Ordinal) => "OK\n",
        _ => "ERR UNKNOWN-COMMAND\n",
    };

    [TestMethod]
    public async Task Reads_values_lists_and_counts_unescaping_quotes()
    {
        await using var server = new ScriptedServer(Upsd);
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.AreEqual("OB LB", await client.GetVariableAsync("ups", "ups.status", CancellationToken.None));
        Assert.AreEqual("rack \"B\" \\ #2", await client.GetVariableAsync("ups", "ups.id", CancellationToken.None));
        Assert.AreEqual(3, await client.GetLoginCountAsync("ups", CancellationToken.None));
        Dictionary<string, string> vars = await client.ListVariablesAsync("ups", CancellationToken.None);
        Assert.AreEqual("100", vars["battery.charge"]);
        Assert.AreEqual(2, vars.Count);
    }

    [TestMethod]
    public async Task Err_replies_become_exceptions_naming_the_error()
    {
        await using var server = new ScriptedServer(Upsd);
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(5), CancellationToken.None);
        var e = await Assert.ThrowsExactlyAsync<NutClientException>(() => client.GetVariableAsync("ups", "nothing", CancellationToken.None));
        Assert.AreEqual("VAR-NOT-SUPPORTED", e.Error);
        StringAssert.Contains(e.Message, $"127.0.0.1:{server.Port}");
    }

    [TestMethod]
    public async Task Login_sends_upsmon_words_and_primary_falls_back_to_master()
    {
        await using var server = new ScriptedServer(Upsd);
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.LoginAsync("mon", "pa\"ss", "ups", CancellationToken.None);
        await client.ClaimPrimaryAsync("ups", CancellationToken.None);
        CollectionAssert.AreEqual(new[] { "USERNAME \"mon\"", "PASSWORD \"pa\\\"ss\"", "LOGIN ups", "PRIMARY ups", "MASTER ups" }, server.Received);
    }

    [TestMethod]
    public async Task A_silent_server_times_out_and_a_closed_one_is_reported()
    {
        await using var server = new ScriptedServer(Upsd);
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", server.Port, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var e = await Assert.ThrowsExactlyAsync<NutClientException>(() => client.RequestAsync("SILENT", CancellationToken.None));
        StringAssert.Contains(e.Message, "no reply within");
        e = await Assert.ThrowsExactlyAsync<NutClientException>(() => client.RequestAsync("HANGUP", CancellationToken.None));
        Assert.IsNull(e.Error);
    }

    [TestMethod]
    public async Task Nobody_listening_is_a_clear_connect_error()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var e = await Assert.ThrowsExactlyAsync<NutClientException>(() => NutClient.ConnectAsync("127.0.0.1", port, TimeSpan.FromSeconds(2), CancellationToken.None));
        StringAssert.Contains(e.Message, "cannot connect to NUT server");
    }
}
