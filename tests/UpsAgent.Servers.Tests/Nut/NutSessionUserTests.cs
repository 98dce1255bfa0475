namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutSessionUserTests
{
    [TestMethod]
    public async Task Username_and_password_are_accepted_once_without_validation()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("OK", await client.RequestAsync("USERNAME nobody"));
        Assert.AreEqual("ERR ALREADY-SET-USERNAME", await client.RequestAsync("USERNAME other"));
        Assert.AreEqual("OK", await client.RequestAsync("PASSWORD wrong"));
        Assert.AreEqual("ERR ALREADY-SET-PASSWORD", await client.RequestAsync("PASSWORD again"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await client.RequestAsync("USERNAME"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await client.RequestAsync("PASSWORD a b"));
    }

    [TestMethod]
    public async Task Commands_needing_a_user_ask_for_username_then_password()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        foreach (string request in new[] { "LOGIN static", "PRIMARY static", "MASTER static", "FSD static", "SET VAR static ups.id x", "SET TRACKING ON", "INSTCMD static load.off", "SET" })
        {
            Assert.AreEqual("ERR USERNAME-REQUIRED", await client.RequestAsync(request), request);
        }

        Assert.AreEqual("OK", await client.RequestAsync("USERNAME admin"));
        Assert.AreEqual("ERR PASSWORD-REQUIRED", await client.RequestAsync("LOGIN static"));
        Assert.AreEqual("ERR PASSWORD-REQUIRED", await client.RequestAsync("FSD"));
    }

    [TestMethod]
    public async Task Password_alone_still_requires_a_username()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("OK", await client.RequestAsync("PASSWORD x"));
        Assert.AreEqual("ERR USERNAME-REQUIRED", await client.RequestAsync("LOGIN static"));
    }

    [TestMethod]
    public async Task Login_counts_in_numlogins_until_the_connection_closes()
    {
        await using var bed = new NutTestBed();
        await using var secondary = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("OK", await secondary.RequestAsync("LOGIN outage"));
        Assert.AreEqual("NUMLOGINS outage 1", await secondary.RequestAsync("GET NUMLOGINS outage"));
        Assert.AreEqual("ERR ALREADY-LOGGED-IN", await secondary.RequestAsync("LOGIN outage"));
        Assert.AreEqual("ERR ALREADY-LOGGED-IN", await secondary.RequestAsync("LOGIN static"));

        await using var primary = await bed.ConnectAsAsync("monprimary", "primpass");
        Assert.AreEqual("OK", await primary.RequestAsync("LOGIN outage"));
        Assert.AreEqual("NUMLOGINS outage 2", await primary.RequestAsync("GET NUMLOGINS outage"));
        Assert.AreEqual(2, bed.Server.GetStatus().LoginsPerUps["outage"]);

        await secondary.CloseSendingAsync();
        Assert.IsTrue(await secondary.WaitForCloseAsync());
        await NutTestBed.EventuallyAsync(() => bed.Server.GetStatus().LoginsPerUps.GetValueOrDefault("outage") == 1, "the closed login is given back");
        Assert.AreEqual("NUMLOGINS outage 1", await primary.RequestAsync("GET NUMLOGINS outage"));
    }

    [TestMethod]
    public async Task Login_checks_arguments_then_ups_then_rights()
    {
        await using var bed = new NutTestBed();
        await using var viewer = await bed.ConnectAsAsync("viewer", "viewpass");
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("LOGIN"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("LOGIN a b"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await viewer.RequestAsync("LOGIN nosuch"));
        Assert.AreEqual("ERR ACCESS-DENIED", await viewer.RequestAsync("LOGIN static"));
        Assert.AreEqual("NUMLOGINS static 0", await viewer.RequestAsync("GET NUMLOGINS static"));
    }

    [TestMethod]
    public async Task Unknown_user_or_wrong_password_is_denied_at_use_time()
    {
        await using var bed = new NutTestBed();
        await using var stranger = await bed.ConnectAsAsync("stranger", "x");
        Assert.AreEqual("ERR ACCESS-DENIED", await stranger.RequestAsync("LOGIN static"));
        await using var wrong = await bed.ConnectAsAsync("admin", "wrongpass");
        Assert.AreEqual("ERR ACCESS-DENIED", await wrong.RequestAsync("SET VAR static ups.id x"));
        await using var wrongCase = await bed.ConnectAsAsync("ADMIN", NutTestBed.AdminPassword);
        Assert.AreEqual("ERR ACCESS-DENIED", await wrongCase.RequestAsync("SET VAR static ups.id x"));
    }

    [TestMethod]
    public async Task Primary_and_master_are_granted_to_upsmon_primary_only()
    {
        await using var bed = new NutTestBed();
        await using var primary = await bed.ConnectAsAsync("monprimary", "primpass");
        Assert.AreEqual("OK PRIMARY-GRANTED", await primary.RequestAsync("PRIMARY outage"));
        Assert.AreEqual("OK MASTER-GRANTED", await primary.RequestAsync("MASTER outage"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await primary.RequestAsync("PRIMARY nosuch"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await primary.RequestAsync("MASTER"));
        await using var secondary = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("ERR ACCESS-DENIED", await secondary.RequestAsync("PRIMARY outage"));
        Assert.AreEqual("ERR ACCESS-DENIED", await secondary.RequestAsync("MASTER outage"));
    }

    [TestMethod]
    public async Task Fsd_latches_forced_shutdown_on_the_ups()
    {
        await using var bed = new NutTestBed();
        await using var primary = await bed.ConnectAsAsync("monprimary", "primpass");
        Assert.AreEqual("OK", await primary.RequestAsync("LOGIN outage"));
        Assert.AreEqual("OK FSD-SET", await primary.RequestAsync("FSD outage"));
        Assert.IsTrue(bed.Outage.Current.ForcedShutdown);
        Assert.AreEqual("VAR outage ups.status \"FSD OL\"", await primary.RequestAsync("GET VAR outage ups.status"));
        Assert.AreEqual("OK FSD-SET", await primary.RequestAsync("FSD outage"));
        Assert.IsFalse(bed.Static.Current.ForcedShutdown);
    }

    [TestMethod]
    public async Task Fsd_checks_arguments_ups_and_rights()
    {
        await using var bed = new NutTestBed();
        await using var secondary = await bed.ConnectAsAsync("monsecondary", "secpass");
        Assert.AreEqual("ERR INVALID-ARGUMENT", await secondary.RequestAsync("FSD"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await secondary.RequestAsync("FSD nosuch"));
        Assert.AreEqual("ERR ACCESS-DENIED", await secondary.RequestAsync("FSD outage"));
        Assert.IsFalse(bed.Outage.Current.ForcedShutdown);
    }

    [TestMethod]
    public async Task Logout_says_goodbye_and_closes_after_answering_what_was_already_sent()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect(out Task session);
        await client.SendAsync("LOGOUT\nNETVER\n");
        Assert.AreEqual("OK Goodbye", await client.ReadLineAsync());
        Assert.AreEqual("1.3", await client.ReadLineAsync());
        Assert.IsNull(await client.ReadLineAsync());
        await session.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task Hashed_passwords_are_verified_once_per_session()
    {
        await using var bed = new NutTestBed();
        await using var good = await bed.ConnectAsAsync("hashed", NutTestBed.HashedPassword);
        Assert.AreEqual("OK", await good.RequestAsync("SET VAR static ups.id a"));
        Assert.AreEqual("OK", await good.RequestAsync("SET VAR static ups.id b"));
        Assert.AreEqual("ERR ACCESS-DENIED", await good.RequestAsync("FSD static"));
        await using var bad = await bed.ConnectAsAsync("hashed", "nope");
        Assert.AreEqual("ERR ACCESS-DENIED", await bad.RequestAsync("SET VAR static ups.id a"));
    }

    [TestMethod]
    public async Task A_hashed_password_check_does_not_reorder_pipelined_requests()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        // All in one write: the check runs off the session's thread, and what follows waits for it.
        await client.SendAsync($"USERNAME hashed\nPASSWORD {NutTestBed.HashedPassword}\nSET VAR static ups.id a\nGET VAR static ups.status\nUSERNAME x\n");
        Assert.AreEqual("OK", await client.ReadLineAsync());
        Assert.AreEqual("OK", await client.ReadLineAsync());
        Assert.AreEqual("OK", await client.ReadLineAsync());
        StringAssert.StartsWith(await client.ReadLineAsync(), "VAR static ups.status ");
        Assert.AreEqual("ERR ALREADY-SET-USERNAME", await client.ReadLineAsync());

        await using var wrong = bed.Connect();
        await wrong.SendAsync("PASSWORD nope\nUSERNAME hashed\nSET VAR static ups.id a\n");
        Assert.AreEqual("OK", await wrong.ReadLineAsync());
        Assert.AreEqual("OK", await wrong.ReadLineAsync());
        Assert.AreEqual("ERR ACCESS-DENIED", await wrong.ReadLineAsync());
    }
}
