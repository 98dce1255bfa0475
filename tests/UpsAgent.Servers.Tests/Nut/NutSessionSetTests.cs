using UpsAgent.Core.Commands;

namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutSessionSetTests
{
    [TestMethod]
    public async Task Set_var_forwards_to_the_driver_and_answers_ok_without_waiting()
    {
        await using var bed = new NutTestBed();
        bed.StaticCommands.Hold = true;
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET VAR static ups.id \"rack b\""));
        CollectionAssert.AreEqual(new[] { "SET ups.id rack b" }, bed.StaticCommands.Calls.ToArray());
        bed.StaticCommands.Release(CommandOutcome.Success);
    }

    [TestMethod]
    public async Task Set_var_checks_in_upsd_order()
    {
        await using var bed = new NutTestBed();
        await using var viewer = await bed.ConnectAsAsync("viewer", "viewpass");
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("SET VAR static ups.id"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("SET VAR"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("SET FOO static ups.id x"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("SET"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await viewer.RequestAsync("SET VAR nosuch ups.id x"));
        bed.OutageWriter.MarkStale();
        Assert.AreEqual("ERR DATA-STALE", await viewer.RequestAsync("SET VAR outage ups.id x"));
        // Rights come before the variable lookup: a viewer cannot learn which variables exist.
        Assert.AreEqual("ERR ACCESS-DENIED", await viewer.RequestAsync("SET VAR static no.such y"));
        Assert.AreEqual("ERR ACCESS-DENIED", await viewer.RequestAsync("SET VAR static ups.id y"));

        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("ERR VAR-NOT-SUPPORTED", await admin.RequestAsync("SET VAR static no.such y"));
        Assert.AreEqual("ERR READONLY", await admin.RequestAsync("SET VAR static driver.name foo"));
        Assert.AreEqual("ERR TOO-LONG", await admin.RequestAsync("SET VAR static ups.id \"this string is longer than sixteen\""));
        Assert.AreEqual("ERR INVALID-VALUE", await admin.RequestAsync("SET VAR static ups.beeper.status loud"));
        Assert.AreEqual("ERR INVALID-VALUE", await admin.RequestAsync("SET VAR static ups.delay.shutdown 700"));
        Assert.AreEqual("ERR INVALID-VALUE", await admin.RequestAsync("SET VAR static ups.delay.shutdown soon"));
        Assert.AreEqual("OK", await admin.RequestAsync("SET VAR static ups.delay.shutdown 1000"));
        Assert.AreEqual("OK", await admin.RequestAsync("set var static UPS.BEEPER.STATUS muted"));
        Assert.AreEqual("OK", await admin.RequestAsync("SET VAR static ups.id \"exactly16chars!!\""));
        CollectionAssert.AreEqual(
            new[] { "SET ups.delay.shutdown 1000", "SET ups.beeper.status muted", "SET ups.id exactly16chars!!" },
            bed.StaticCommands.Calls.ToArray());
    }

    [TestMethod]
    public async Task Set_var_takes_the_word_after_an_equals_sign_as_the_value()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET VAR static ups.id a=b"));
        CollectionAssert.AreEqual(new[] { "SET ups.id a" }, bed.StaticCommands.Calls.ToArray());
    }

    [TestMethod]
    public async Task Set_var_answers_set_failed_when_the_driver_refuses_the_hand_off()
    {
        await using var bed = new NutTestBed();
        bed.StaticCommands.Throw = new InvalidOperationException("driver link down");
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("ERR SET-FAILED", await admin.RequestAsync("SET VAR static ups.id x"));
        Assert.AreEqual("ERR INSTCMD-FAILED", await admin.RequestAsync("INSTCMD static load.off"));
    }

    [TestMethod]
    public async Task Instcmd_checks_in_upsd_order_and_tells_unauthorised_users_about_unknown_commands()
    {
        await using var bed = new NutTestBed();
        await using var viewer = await bed.ConnectAsAsync("viewer", "viewpass");
        Assert.AreEqual("ERR INVALID-ARGUMENT", await viewer.RequestAsync("INSTCMD static"));
        Assert.AreEqual("ERR UNKNOWN-UPS", await viewer.RequestAsync("INSTCMD nosuch load.off"));
        Assert.AreEqual("ERR CMD-NOT-SUPPORTED", await viewer.RequestAsync("INSTCMD static no.such.cmd"));
        Assert.AreEqual("ERR ACCESS-DENIED", await viewer.RequestAsync("INSTCMD static load.off"));
        bed.StaticWriter.MarkStale();
        Assert.AreEqual("ERR DATA-STALE", await viewer.RequestAsync("INSTCMD static no.such.cmd"));
        Assert.IsTrue(bed.StaticCommands.Calls.IsEmpty);
    }

    [TestMethod]
    public async Task Instcmd_rights_are_per_command_and_case_insensitive()
    {
        await using var bed = new NutTestBed();
        await using var beeper = await bed.ConnectAsAsync("beeper", "beeppass");
        Assert.AreEqual("OK", await beeper.RequestAsync("INSTCMD static beeper.disable"));
        Assert.AreEqual("ERR ACCESS-DENIED", await beeper.RequestAsync("INSTCMD static load.off"));
        CollectionAssert.AreEqual(new[] { "INSTCMD beeper.disable" }, bed.StaticCommands.Calls.ToArray());
    }

    [TestMethod]
    public async Task Instcmd_passes_a_parameter_only_with_exactly_three_arguments()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("INSTCMD static LOAD.OFF"));
        Assert.AreEqual("OK", await admin.RequestAsync("INSTCMD static load.off 10"));
        Assert.AreEqual("OK", await admin.RequestAsync("INSTCMD static load.off 10 extra"));
        CollectionAssert.AreEqual(new[] { "INSTCMD load.off", "INSTCMD load.off 10", "INSTCMD load.off" }, bed.StaticCommands.Calls.ToArray());
    }

    [TestMethod]
    public async Task Tracking_is_off_until_enabled_per_connection()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OFF", await admin.RequestAsync("GET TRACKING"));
        Assert.AreEqual("ERR FEATURE-NOT-CONFIGURED", await admin.RequestAsync("GET TRACKING abc"));
        Assert.AreEqual("ERR INVALID-ARGUMENT", await admin.RequestAsync("SET TRACKING MAYBE"));
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING on"));
        Assert.AreEqual("ON", await admin.RequestAsync("GET TRACKING"));
        Assert.AreEqual("ERR UNKNOWN", await admin.RequestAsync("GET TRACKING abc"));
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING OFF"));
        Assert.AreEqual("OFF", await admin.RequestAsync("GET TRACKING"));
        await using var other = bed.Connect();
        Assert.AreEqual("OFF", await other.RequestAsync("GET TRACKING"));
    }

    [TestMethod]
    public async Task Tracked_set_reports_pending_then_the_driver_outcome()
    {
        await using var bed = new NutTestBed();
        bed.StaticCommands.Hold = true;
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING ON"));
        string? reply = await admin.RequestAsync("SET VAR static ups.id \"rack-a\"");
        StringAssert.Matches(reply, new System.Text.RegularExpressions.Regex(
            "^OK TRACKING [0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$"));
        string id = reply!["OK TRACKING ".Length..];
        Assert.AreEqual("PENDING", await admin.RequestAsync("GET TRACKING " + id));
        bed.StaticCommands.Release(CommandOutcome.Success);
        await WaitForTrackingAsync(admin, id.ToLowerInvariant(), "SUCCESS");
    }

    [TestMethod]
    [DataRow(CommandOutcome.Success, "SUCCESS")]
    [DataRow(CommandOutcome.Unknown, "ERR UNKNOWN")]
    [DataRow(CommandOutcome.InvalidArgument, "ERR INVALID-ARGUMENT")]
    [DataRow(CommandOutcome.Failed, "ERR FAILED")]
    public async Task Tracked_instcmd_maps_driver_outcomes_to_tracking_replies(CommandOutcome outcome, string expected)
    {
        await using var bed = new NutTestBed();
        bed.StaticCommands.Outcome = outcome;
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING ON"));
        string? reply = await admin.RequestAsync("INSTCMD static load.off");
        Assert.IsNotNull(reply);
        Assert.StartsWith("OK TRACKING ", reply);
        Assert.AreEqual(expected, await admin.RequestAsync("GET TRACKING " + reply["OK TRACKING ".Length..]));
    }

    [TestMethod]
    public async Task A_driver_that_throws_later_is_tracked_as_failed()
    {
        await using var bed = new NutTestBed();
        bed.StaticCommands.Hold = true;
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING ON"));
        string id = (await admin.RequestAsync("INSTCMD static load.off"))!["OK TRACKING ".Length..];
        bed.StaticCommands.Fail(new TimeoutException("no answer from the device"));
        await WaitForTrackingAsync(admin, id, "ERR FAILED");
    }

    [TestMethod]
    public async Task Tracking_results_expire_after_the_retention_time()
    {
        await using var bed = new NutTestBed(o => new() { TrackingRetention = TimeSpan.FromMinutes(5), IdleTimeout = TimeSpan.FromHours(1) });
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING ON"));
        string id = (await admin.RequestAsync("INSTCMD static load.off"))!["OK TRACKING ".Length..];
        Assert.AreEqual("SUCCESS", await admin.RequestAsync("GET TRACKING " + id));
        bed.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.AreEqual("SUCCESS", await admin.RequestAsync("GET TRACKING " + id));
        bed.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.AreEqual("ERR UNKNOWN", await admin.RequestAsync("GET TRACKING " + id));
    }

    [TestMethod]
    public async Task Tracking_ids_are_readable_from_other_connections_with_tracking_on()
    {
        await using var bed = new NutTestBed();
        await using var admin = await bed.ConnectAsAsync("admin", NutTestBed.AdminPassword);
        Assert.AreEqual("OK", await admin.RequestAsync("SET TRACKING ON"));
        string id = (await admin.RequestAsync("SET VAR static ups.id x"))!["OK TRACKING ".Length..];
        await using var other = await bed.ConnectAsAsync("viewer", "viewpass");
        Assert.AreEqual("OK", await other.RequestAsync("SET TRACKING ON"));
        Assert.AreEqual("SUCCESS", await other.RequestAsync("GET TRACKING " + id));
    }

    private static async Task WaitForTrackingAsync(TestKit.Transport.InMemoryClient client, string id, string expected)
    {
        string? last = null;
        for (int i = 0; i < 500 && last != expected; i++)
        {
            last = await client.RequestAsync("GET TRACKING " + id);
            if (last != expected)
            {
                await Task.Delay(10);
            }
        }

        Assert.AreEqual(expected, last);
    }
}
