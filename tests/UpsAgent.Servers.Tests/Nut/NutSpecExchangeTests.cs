namespace UpsAgent.Servers.Tests.Nut;

/// <summary>
/// The literal exchanges captured from upsd 2.8.0 with two dummy-ups drivers ("static" and
/// "outage"), replayed against our server (fact sheet section 1.5).
/// </summary>
[TestClass]
public sealed class NutSpecExchangeTests
{
    private static async Task ExpectAsync(TestKit.Transport.InMemoryClient client, string request, params string[] replies)
    {
        await client.SendAsync(request + "\n");
        foreach (string expected in replies)
        {
            Assert.AreEqual(expected, await client.ReadLineAsync(), request);
        }
    }

    [TestMethod]
    public async Task Anonymous_exchange_matches_upsd()
    {
        await using var bed = new NutTestBed();
        bed.StaticWriter.Define([new Core.State.UpsVariable("ups.id", "static") { Flags = Core.State.VariableFlags.ReadWrite | Core.State.VariableFlags.String, MaxLength = 16 }]);
        bed.StaticWriter.SetCommands(["load.off"]);
        bed.OutageWriter.SetDescription("Dummy UPS: OL -> OB -> OB LB");
        await using var c = bed.Connect();
        await ExpectAsync(c, "VER", "Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/");
        await ExpectAsync(c, "NETVER", "1.3");
        await ExpectAsync(c, "LIST UPS", "BEGIN LIST UPS", "UPS static \"Static dummy UPS (always OL)\"", "UPS outage \"Dummy UPS: OL -> OB -> OB LB\"", "END LIST UPS");
        await ExpectAsync(c, "GET VAR static ups.status", "VAR static ups.status \"OL CHRG\"");
        await ExpectAsync(c, "get var static battery.charge", "VAR static battery.charge \"100\"");
        await ExpectAsync(c, "GET VAR nosuch ups.status", "ERR UNKNOWN-UPS");
        await ExpectAsync(c, "GET VAR static no.such.var", "ERR VAR-NOT-SUPPORTED");
        await ExpectAsync(c, "GET VAR nosuch server.version", "VAR nosuch server.version \"2.8.0\"");
        await ExpectAsync(c, "GET TYPE static ups.id", "TYPE static ups.id RW STRING:16");
        await ExpectAsync(c, "GET TYPE static battery.charge", "TYPE static battery.charge RW NUMBER");
        await ExpectAsync(c, "GET DESC static foo.bar", "DESC static foo.bar \"Description unavailable\"");
        await ExpectAsync(c, "GET TRACKING abc", "ERR FEATURE-NOT-CONFIGURED");
        await ExpectAsync(c, "GET VAR static", "ERR INVALID-ARGUMENT");
        await ExpectAsync(c, "LIST CMD static", "BEGIN LIST CMD static", "CMD static load.off", "END LIST CMD static");
        await ExpectAsync(c, "LIST ENUM static ups.id", "BEGIN LIST ENUM static ups.id", "END LIST ENUM static ups.id");
        await ExpectAsync(c, "FOO", "ERR UNKNOWN-COMMAND");
        await ExpectAsync(c, "", "ERR UNKNOWN-COMMAND");
        await ExpectAsync(c, "STARTTLS", "ERR FEATURE-NOT-CONFIGURED");
        await ExpectAsync(c, "SET VAR static ups.id \"x\"", "ERR USERNAME-REQUIRED");
        await ExpectAsync(c, "USERNAME admin", "OK");
        await ExpectAsync(c, "SET VAR static ups.id x", "ERR PASSWORD-REQUIRED");
        await ExpectAsync(c, "LOGOUT", "OK Goodbye");
        Assert.IsNull(await c.ReadLineAsync());
    }

    [TestMethod]
    public async Task Bad_password_and_viewer_exchanges_match_upsd()
    {
        await using var bed = new NutTestBed();
        await using var bad = bed.Connect();
        await ExpectAsync(bad, "USERNAME admin", "OK");
        await ExpectAsync(bad, "PASSWORD wrongpass", "OK");
        await ExpectAsync(bad, "SET VAR static ups.id \"x\"", "ERR ACCESS-DENIED");
        await ExpectAsync(bad, "USERNAME other", "ERR ALREADY-SET-USERNAME");

        await using var viewer = await bed.ConnectAsAsync("viewer", "viewpass");
        await ExpectAsync(viewer, "INSTCMD static load.off", "ERR ACCESS-DENIED");
        await ExpectAsync(viewer, "INSTCMD static no.such.cmd", "ERR CMD-NOT-SUPPORTED");
        await ExpectAsync(viewer, "SET VAR static no.such y", "ERR ACCESS-DENIED");
        await ExpectAsync(viewer, "LOGIN static", "ERR ACCESS-DENIED");
    }

    [TestMethod]
    public async Task Admin_exchange_matches_upsd()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        await ExpectAsync(admin, "SET VAR static ups.id \"rack b\"", "OK");
        await ExpectAsync(admin, "SET VAR static ups.id \"this string is longer than sixteen\"", "ERR TOO-LONG");
        await ExpectAsync(admin, "SET VAR static driver.name foo", "ERR READONLY");
        await ExpectAsync(admin, "INSTCMD static load.off 10", "OK");
        await ExpectAsync(admin, "SET TRACKING ON", "OK");
        await admin.SendAsync("SET VAR static ups.id \"rack-a\"\n");
        string? tracked = await admin.ReadLineAsync();
        Assert.IsNotNull(tracked);
        Assert.StartsWith("OK TRACKING ", tracked);
        await ExpectAsync(admin, "GET TRACKING " + tracked["OK TRACKING ".Length..], "SUCCESS");
        bed.StaticCommands.Outcome = Core.Commands.CommandOutcome.Unknown;
        await admin.SendAsync("INSTCMD static load.off\n");
        string? rejected = await admin.ReadLineAsync();
        await ExpectAsync(admin, "GET TRACKING " + rejected!["OK TRACKING ".Length..], "ERR UNKNOWN");
    }

    [TestMethod]
    public async Task Upsmon_style_primary_and_secondary_exchange_matches_upsd()
    {
        await using var bed = new NutTestBed();
        await using var secondary = await bed.ConnectAsAsync("monsecondary", "secpass");
        await ExpectAsync(secondary, "LOGIN outage", "OK");
        await ExpectAsync(secondary, "GET NUMLOGINS outage", "NUMLOGINS outage 1");
        await ExpectAsync(secondary, "LOGIN outage", "ERR ALREADY-LOGGED-IN");

        await using var primary = await bed.ConnectAsAsync("monprimary", "primpass");
        await ExpectAsync(primary, "LOGIN outage", "OK");
        await ExpectAsync(primary, "PRIMARY outage", "OK PRIMARY-GRANTED");
        await ExpectAsync(primary, "MASTER outage", "OK MASTER-GRANTED");
        await ExpectAsync(primary, "GET NUMLOGINS outage", "NUMLOGINS outage 2");
        await ExpectAsync(primary, "LIST CLIENT outage", "BEGIN LIST CLIENT outage", "CLIENT outage 127.0.0.1", "CLIENT outage 127.0.0.1", "END LIST CLIENT outage");
        await ExpectAsync(primary, "FSD outage", "OK FSD-SET");
        await ExpectAsync(primary, "GET VAR outage ups.status", "VAR outage ups.status \"FSD OL\"");

        await secondary.CloseSendingAsync();
        await NutTestBed.EventuallyAsync(() => bed.Server.GetStatus().LoginsPerUps.GetValueOrDefault("outage") == 1, "the secondary's login is released");
        await ExpectAsync(primary, "GET NUMLOGINS outage", "NUMLOGINS outage 1");
    }

    [TestMethod]
    public async Task Stale_and_disconnected_driver_exchanges_match_upsd()
    {
        await using var bed = new NutTestBed();
        await using var c = bed.Connect();
        bed.StaticWriter.MarkStale();
        await ExpectAsync(c, "GET VAR static ups.status", "ERR DATA-STALE");
        await ExpectAsync(c, "LIST VAR static", "ERR DATA-STALE");
        await ExpectAsync(c, "GET UPSDESC static", "UPSDESC static \"Static dummy UPS (always OL)\"");
        await ExpectAsync(c, "GET VAR static server.version", "VAR static server.version \"2.8.0\"");
        bed.OutageWriter.MarkDisconnected();
        await ExpectAsync(c, "GET VAR outage ups.status", "ERR DRIVER-NOT-CONNECTED");
        await ExpectAsync(c, "LIST CLIENT outage", "BEGIN LIST CLIENT outage", "END LIST CLIENT outage");
    }
}
