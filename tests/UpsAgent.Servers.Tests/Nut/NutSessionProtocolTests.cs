using System.Text;

namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutSessionProtocolTests
{
    [TestMethod]
    public async Task Empty_comment_only_and_unknown_lines_answer_unknown_command()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync(""));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync("   \t"));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync("# nothing"));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync("FOO"));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync("VERSION"));
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        await client.SendAsync("GET VAR static ups.status\r\nGET VAR static battery.charge\nFOO\nLIST CMD static\nNETVER\n");
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.ReadLineAsync());
        Assert.AreEqual("VAR static battery.charge \"100\"", await client.ReadLineAsync());
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.ReadLineAsync());
        Assert.AreEqual("BEGIN LIST CMD static", await client.ReadLineAsync());
        Assert.AreEqual("CMD static beeper.disable", await client.ReadLineAsync());
        Assert.AreEqual("CMD static load.off", await client.ReadLineAsync());
        Assert.AreEqual("END LIST CMD static", await client.ReadLineAsync());
        Assert.AreEqual("1.3", await client.ReadLineAsync());
    }

    [TestMethod]
    public async Task A_request_split_over_many_writes_is_answered_once_complete()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (char c in "GET VAR static ups.status\n")
        {
            await client.SendAsync(c.ToString());
        }

        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.ReadLineAsync());
    }

    [TestMethod]
    public async Task A_hash_inside_quotes_gets_no_reply_and_drops_the_rest_of_that_read()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword, sendsWaitForServer: true);
        // One write: the bad line and the VER after it arrive in the same read and both vanish.
        await admin.SendAsync("SET VAR static ups.id \"Rack \\\"B\\\" #2\"\nVER\n");
        // The next request is answered normally.
        Assert.AreEqual("1.3", await admin.RequestAsync("NETVER"));
        Assert.IsTrue(bed.StaticCommands.Calls.IsEmpty);
        Assert.AreEqual("OK", await admin.RequestAsync("SET VAR static ups.id \"Rack \\#2\""));
        CollectionAssert.AreEqual(new[] { "SET ups.id Rack #2" }, bed.StaticCommands.Calls.ToArray());
    }

    [TestMethod]
    public async Task An_unbalanced_quote_swallows_requests_until_the_next_quote()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        await client.SendAsync("GET VAR static \"ups.status\nVER\n");
        await client.SendAsync("\"\nNETVER\n");
        // The swallowed line became GET VAR static ups.statusVER.
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await client.ReadLineAsync());
        Assert.AreEqual("1.3", await client.ReadLineAsync());
    }

    [TestMethod]
    public async Task Control_bytes_and_non_ascii_never_reach_the_command()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        await client.SendAsync([.. "GET VAR static ups.st"u8, 0x01, 0xC3, 0xA9, .. "atus\n"u8]);
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.ReadLineAsync());
    }

    [TestMethod]
    public async Task Reply_lines_stay_below_512_bytes_even_when_echoing_long_words()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        string longName = new('v', 600);
        string? reply = await client.RequestAsync($"GET DESC static {longName}");
        Assert.IsNotNull(reply);
        Assert.IsLessThan(512, Encoding.Latin1.GetByteCount(reply) + 1);
        Assert.StartsWith("DESC static vvvv", reply);
        reply = await client.RequestAsync($"GET VAR {longName} server.info");
        Assert.IsLessThan(512, reply!.Length + 1);
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task A_line_beyond_the_limit_closes_the_connection()
    {
        await using var bed = new NutTestBed(o => new() { MaxRequestLineBytes = 4096 });
        await using var client = bed.Connect(out Task session);
        await client.SendAsync(new string('x', 8000));
        Assert.IsTrue(await client.WaitForCloseAsync());
        await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, bed.Server.GetStatus().OpenConnections);
    }

    [TestMethod]
    public async Task A_megabyte_without_newline_closes_the_connection_under_the_default_limit()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect(out Task session);
        byte[] chunk = Encoding.ASCII.GetBytes(new string('y', 64 * 1024));
        for (int i = 0; i < 16 && !session.IsCompleted; i++)
        {
            await client.SendAsync(chunk);
        }

        Assert.IsTrue(await client.WaitForCloseAsync());
    }

    [TestMethod]
    public async Task Closing_the_client_side_ends_the_session()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect(out Task session);
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        Assert.AreEqual(1, bed.Server.GetStatus().OpenConnections);
        await client.CloseSendingAsync();
        await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, bed.Server.GetStatus().OpenConnections);
    }

    [TestMethod]
    public async Task Status_lists_clients_and_counts_requests()
    {
        await using var bed = new NutTestBed();
        await using var client = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("OK", await client.RequestAsync("LOGIN static"));
        var status = bed.Server.GetStatus();
        Assert.HasCount(1, status.Clients);
        Assert.AreEqual("monsecondary", status.Clients[0].UserName);
        Assert.AreEqual("static", status.Clients[0].LoginUps);
        Assert.AreEqual("127.0.0.1", status.Clients[0].Address);
        Assert.AreEqual(3, status.Requests);
    }

    [TestMethod]
    public async Task A_large_pipelined_batch_is_answered_completely()
    {
        await using var bed = new NutTestBed(o => new() { FlushThresholdBytes = 1024 });
        await using var client = bed.Connect();
        var requests = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            requests.Append("LIST VAR static\n");
        }

        Task send = client.SendAsync(requests.ToString());
        int lines = 0;
        while (lines < 2000 * 9)
        {
            Assert.IsNotNull(await client.ReadLineAsync());
            lines++;
        }

        await send;
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }
}
