using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// The real upsmon 2.8.0 as a secondary, with the test itself acting as the primary over raw TCP, as in a
/// rack where one host owns the UPS and the others follow it down.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class UpsmonTests
{
    private static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LowBatteryTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsmon_secondary_logs_in_and_runs_its_shutdown_command_after_the_primary_sets_fsd(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind, InteropSetup.OutageSequence);
        const string ups = InteropSetup.UpsName;
        await using var primary = await NutLineClient.ConnectAsync(server.Port);
        Assert.AreEqual("OK", await primary.RequestAsync($"USERNAME {InteropSetup.Primary.Name}"));
        Assert.AreEqual("OK", await primary.RequestAsync($"PASSWORD {InteropSetup.Primary.Password}"));
        Assert.AreEqual("OK", await primary.RequestAsync($"LOGIN {ups}"), server.Log);
        Assert.AreEqual("OK PRIMARY-GRANTED", await primary.RequestAsync($"PRIMARY {ups}"), server.Log);

        await using var upsmon = UpsmonPeer.Start(server.Target(ups), InteropSetup.Secondary.Name, InteropSetup.Secondary.Password,
            UpsmonRole.Secondary);
        var numLogins = "";
        var secondaryLoggedIn = await InteropSetup.EventuallyAsync(async () =>
        {
            numLogins = await primary.RequestAsync($"GET NUMLOGINS {ups}");
            return numLogins == $"NUMLOGINS {ups} 2";
        }, LoginTimeout);
        Assert.IsTrue(secondaryLoggedIn, $"last: {numLogins}\n{upsmon.Log}\n{server.Log}");

        var status = "";
        var lowBattery = await InteropSetup.EventuallyAsync(async () =>
        {
            status = await primary.RequestAsync($"GET VAR {ups} ups.status");
            return status.Contains("LB", StringComparison.Ordinal);
        }, LowBatteryTimeout);
        Assert.IsTrue(lowBattery, $"last: {status}\n{server.Log}");
        Assert.AreEqual($"VAR {ups} ups.status \"OB LB DISCHRG\"", status);

        Assert.AreEqual("OK FSD-SET", await primary.RequestAsync($"FSD {ups}"), server.Log);
        Assert.AreEqual($"VAR {ups} ups.status \"FSD OB LB DISCHRG\"", await primary.RequestAsync($"GET VAR {ups} ups.status"));

        var shutdown = await InteropSetup.EventuallyAsync(() => Task.FromResult(upsmon.ShutdownCommandRan), ShutdownTimeout);
        Assert.IsTrue(shutdown, $"SHUTDOWNCMD did not run\n{upsmon.Log}\n{server.Log}");
        // The secondary went down because it saw FSD, not because it gave up waiting for the primary.
        Assert.IsTrue(upsmon.Events.Any(e => e.StartsWith("FSD ", StringComparison.Ordinal)), upsmon.Log);
        Assert.IsTrue(upsmon.Events.Any(e => e.StartsWith("SHUTDOWN ", StringComparison.Ordinal)), upsmon.Log);
        Assert.IsTrue(await upsmon.WaitForExitAsync(TimeSpan.FromSeconds(10)), $"upsmon kept running\n{upsmon.Log}");

        // upsmon never says LOGOUT: its socket just closes, and that alone must drop the login.
        var loggedOut = await InteropSetup.EventuallyAsync(async () =>
        {
            numLogins = await primary.RequestAsync($"GET NUMLOGINS {ups}");
            return numLogins == $"NUMLOGINS {ups} 1";
        }, TimeSpan.FromSeconds(10));
        Assert.IsTrue(loggedOut, $"last: {numLogins}\n{server.Log}");
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsmon_secondary_reports_the_ups_on_battery(NutServerKind kind)
    {
        // Without a primary: upsmon must notice OB on its own polls (ONBATT) and LB (LOWBATT).
        await using var server = await InteropSetup.StartAsync(kind, InteropSetup.OutageSequence);
        await using var upsmon = UpsmonPeer.Start(server.Target(InteropSetup.UpsName), InteropSetup.Secondary.Name,
            InteropSetup.Secondary.Password, UpsmonRole.Secondary);

        var lowBattery = await InteropSetup.EventuallyAsync(
            () => Task.FromResult(upsmon.Events.Any(e => e.StartsWith("LOWBATT ", StringComparison.Ordinal))), LowBatteryTimeout);

        Assert.IsTrue(lowBattery, $"{upsmon.Log}\n{server.Log}");
        Assert.IsTrue(upsmon.Events.Any(e => e.StartsWith($"ONBATT {server.Target(InteropSetup.UpsName)} ", StringComparison.Ordinal)), upsmon.Log);
        Assert.IsFalse(upsmon.Events.Any(e => e.StartsWith("COMMBAD ", StringComparison.Ordinal)), upsmon.Log);
    }
}
