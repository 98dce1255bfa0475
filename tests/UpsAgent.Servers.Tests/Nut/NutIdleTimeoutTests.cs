namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutIdleTimeoutTests
{
    private static readonly TimeSpan StillOpenGrace = TimeSpan.FromMilliseconds(150);

    [TestMethod]
    public async Task A_client_without_a_complete_request_for_more_than_60_seconds_is_dropped()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect(out Task session);
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        bed.Clock.Advance(TimeSpan.FromSeconds(60.9));
        Assert.IsFalse(await client.WaitForCloseAsync(StillOpenGrace));
        bed.Clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.IsTrue(await client.WaitForCloseAsync());
        await session.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task A_poller_with_exactly_the_timeout_period_is_not_dropped()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        for (int poll = 0; poll < 3; poll++)
        {
            Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
            await NutTestBed.EventuallyAsync(() => bed.Clock.PendingDelays == 1, "the idle watch is armed");
            bed.Clock.Advance(TimeSpan.FromSeconds(60));
        }

        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task Any_complete_line_even_an_erroneous_one_resets_the_timer()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        bed.Clock.Advance(TimeSpan.FromSeconds(50));
        Assert.AreEqual("ERR UNKNOWN-COMMAND", await client.RequestAsync("FOO"));
        bed.Clock.Advance(TimeSpan.FromSeconds(10));
        await NutTestBed.EventuallyAsync(() => bed.Clock.PendingDelays == 1, "the idle watch re-arms");
        bed.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task A_partial_line_does_not_reset_the_timer()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
        bed.Clock.Advance(TimeSpan.FromSeconds(50));
        await client.SendAsync("GET VAR static");
        bed.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.IsTrue(await client.WaitForCloseAsync());
    }

    [TestMethod]
    public async Task A_logged_in_client_dropped_for_idleness_gives_back_its_login()
    {
        await using var bed = new NutTestBed(o => new() { IdleTimeout = TimeSpan.FromSeconds(30) });
        await using var client = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("OK", await client.RequestAsync("LOGIN static"));
        Assert.AreEqual(1, bed.Server.GetStatus().LoginsPerUps["static"]);
        bed.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.IsTrue(await client.WaitForCloseAsync());
        await NutTestBed.EventuallyAsync(() => bed.Server.GetStatus().LoginsPerUps.Count == 0, "the login is released");
    }
}
