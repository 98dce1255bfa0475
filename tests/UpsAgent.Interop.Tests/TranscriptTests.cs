using System.Text;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>Raw protocol exchanges replayed on the real upsd 2.8.0 and on upsagent, compared line by line.</summary>
[TestClass]
[TestCategory("Interop")]
public sealed class TranscriptTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task raw_protocol_exchanges_match_the_reference_upsd_line_for_line()
    {
        var (upsd, agent) = await StartBothAsync();
        await using var disposeUpsd = upsd;
        await using var disposeAgent = agent;

        var reference = await ReferenceTranscript.RecordAsync(upsd);
        var ours = await ReferenceTranscript.RecordAsync(agent);

        var differences = new StringBuilder();
        for (var i = 0; i < Math.Max(reference.Count, ours.Count); i++)
        {
            var expected = i < reference.Count ? reference[i] : null;
            var actual = i < ours.Count ? ours[i] : null;
            if (expected is null || actual is null || !expected.Reply.SequenceEqual(actual.Reply))
            {
                differences.AppendLine($"upsd:     {expected}").AppendLine($"upsagent: {actual}").AppendLine();
            }
        }
        TestContext.WriteLine(string.Join('\n', reference));
        Assert.AreEqual("", differences.ToString(), $"upsagent differs from upsd:\n{differences}\n{agent.Log}");
    }

    [TestMethod]
    public async Task the_reference_upsd_transcript_matches_the_fact_sheet()
    {
        // Guards the reference itself: if the installed upsd ever stops behaving as captured in the
        // fact sheet (section 1.5), the comparison above would compare against the wrong thing.
        await using var upsd = await InteropSetup.StartAsync(NutServerKind.Upsd);

        var transcript = await ReferenceTranscript.RecordAsync(upsd);
        TestContext.WriteLine(string.Join('\n', transcript));

        string Reply(string connection, string request) =>
            string.Join(" | ", transcript.First(e => e.Connection == connection && e.Request == request).Reply);
        Assert.AreEqual("1.3", Reply("anonymous", "NETVER"));
        Assert.AreEqual($"BEGIN LIST UPS | UPS ups \"{InteropSetup.Description}\" | END LIST UPS", Reply("anonymous", "LIST UPS"));
        Assert.AreEqual("VAR ups ups.status \"OL\"", Reply("anonymous", "GET VAR ups ups.status"));
        Assert.AreEqual("VAR UPS UPS.STATUS \"OL\"", Reply("anonymous", "GET VAR UPS UPS.STATUS"));
        Assert.AreEqual("ERR UNKNOWN-UPS", Reply("anonymous", "GET VAR nosuch ups.status"));
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", Reply("anonymous", "GET VAR ups no.such.var"));
        Assert.AreEqual("VAR nosuch server.version \"(server value)\"", Reply("anonymous", "GET VAR nosuch server.version"));
        Assert.AreEqual("TYPE ups ups.id RW STRING:16", Reply("anonymous", "GET TYPE ups ups.id"));
        Assert.AreEqual("DESC ups foo.bar \"Description unavailable\"", Reply("anonymous", "GET DESC ups foo.bar"));
        Assert.AreEqual("ERR FEATURE-NOT-CONFIGURED", Reply("anonymous", "GET TRACKING abc"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", Reply("anonymous", "GET VAR ups"));
        Assert.AreEqual("BEGIN LIST ENUM ups ups.id | END LIST ENUM ups ups.id", Reply("anonymous", "LIST ENUM ups ups.id"));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", Reply("anonymous", "FOO"));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", Reply("anonymous", ""));
        Assert.AreEqual("ERR FEATURE-NOT-CONFIGURED", Reply("anonymous", "STARTTLS"));
        Assert.AreEqual("ERR USERNAME-REQUIRED", Reply("anonymous", "SET VAR ups ups.id \"x\""));
        Assert.AreEqual("ERR PASSWORD-REQUIRED", Reply("anonymous", "SET VAR ups ups.id x"));
        Assert.AreEqual("OK Goodbye", Reply("anonymous", "LOGOUT"));
        Assert.AreEqual("ERR ACCESS-DENIED", Reply("wrong password", "SET VAR ups ups.id \"x\""));
        Assert.AreEqual("ERR ALREADY-SET-USERNAME", Reply("wrong password", "USERNAME other"));
        Assert.AreEqual("ERR CMD-NOT-SUPPORTED", Reply("viewer", "INSTCMD ups no.such.cmd"));
        Assert.AreEqual("ERR ACCESS-DENIED", Reply("viewer", "SET VAR ups no.such y"));
        Assert.AreEqual("ERR TOO-LONG", Reply("admin", "SET VAR ups ups.id \"this string is longer than sixteen\""));
        Assert.AreEqual("ERR READONLY", Reply("admin", "SET VAR ups driver.name foo"));
        Assert.AreEqual("OK TRACKING (uuid)", Reply("admin", "SET VAR ups ups.id \"rack-a\""));
        Assert.AreEqual("ERR ALREADY-LOGGED-IN", transcript.Where(e => e.Connection == "secondary" && e.Request == "LOGIN ups").Last().Reply[0]);
        Assert.AreEqual("OK PRIMARY-GRANTED", Reply("primary", "PRIMARY ups"));
        Assert.AreEqual("OK FSD-SET", Reply("primary", "FSD ups"));
        Assert.AreEqual("VAR ups ups.status \"FSD OL\"", Reply("primary", "GET VAR ups ups.status"));
    }

    [TestMethod]
    public async Task list_ups_names_several_upses_in_the_same_order_as_upsd()
    {
        NutSetup setup = new(
        [
            new SimulatedUps("zeta", "Second rack", InteropSetup.OnlineDevice),
            new SimulatedUps("alpha", "First rack", InteropSetup.OnlineDevice),
        ], [InteropSetup.Admin]);
        var (upsd, agent) = await StartBothAsync(setup);
        await using var disposeUpsd = upsd;
        await using var disposeAgent = agent;

        var replies = new List<IReadOnlyList<string>>();
        foreach (var server in new[] { upsd, agent })
        {
            await using var client = await NutLineClient.ConnectAsync(server.Port);
            replies.Add(await client.RequestListAsync("LIST UPS"));
        }

        CollectionAssert.AreEqual(replies[0].ToList(), replies[1].ToList(),
            $"upsd:\n{string.Join('\n', replies[0])}\nupsagent:\n{string.Join('\n', replies[1])}");
    }

    /// <summary>Starts both servers at once; if either fails, the other is stopped before the failure surfaces.</summary>
    private static async Task<(INutServerPeer Upsd, INutServerPeer Agent)> StartBothAsync(NutSetup? setup = null)
    {
        setup ??= InteropSetup.For(InteropSetup.OnlineDevice);
        var upsd = NutServerLauncher.StartAsync(NutServerKind.Upsd, setup);
        var agent = NutServerLauncher.StartAsync(NutServerKind.UpsAgent, setup);
        try
        {
            await Task.WhenAll(upsd, agent);
        }
        catch
        {
            foreach (var started in new[] { upsd, agent }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }
            throw;
        }
        return (upsd.Result, agent.Result);
    }
}
