using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>NUT's upscmd against the real upsd 2.8.0 and against upsagent.</summary>
[TestClass]
[TestCategory("Interop")]
public sealed class UpscmdTests
{
    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upscmd_l_lists_the_instant_commands_with_descriptions(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upscmd", "-l", server.Target(InteropSetup.UpsName));

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        StringAssert.StartsWith(result.StdOut, $"Instant commands supported on UPS [{InteropSetup.UpsName}]:\n\n", result.ToString());
        // dummy-ups offers only load.off; upsagent's simulated UPS must at least offer the beeper commands.
        var expected = kind == NutServerKind.Upsd ? "load.off" : "beeper.disable";
        Assert.IsTrue(result.StdOut.Split('\n').Any(line => line.StartsWith($"{expected} - ", StringComparison.Ordinal)), result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upscmd_with_instcmd_rights_is_answered_ok(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);
        var command = kind == NutServerKind.Upsd ? "load.off" : "beeper.disable";

        var result = await NutTool.RunAsync("upscmd", "-u", "admin", "-p", "secret", server.Target(InteropSetup.UpsName), command);

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreEqual("OK", result.AllOutput.Trim(), result.ToString());
    }

    [TestMethod]
    public async Task upscmd_beeper_disable_turns_the_beeper_off_on_upsagent()
    {
        // dummy-ups has no beeper commands (it only offers load.off and then rejects it), so this runs on upsagent only.
        await using var server = await InteropSetup.StartAsync(NutServerKind.UpsAgent);
        var target = server.Target(InteropSetup.UpsName);

        var result = await NutTool.RunAsync("upscmd", "-u", "admin", "-p", "secret", "-w", target, "beeper.disable");

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        StringAssert.Contains(result.AllOutput, "SUCCESS", result.ToString());
        ToolResult? last = null;
        var disabled = await InteropSetup.EventuallyAsync(async () =>
        {
            last = await NutTool.RunAsync("upsc", target, "ups.beeper.status");
            return last.StdOut.Trim() == "disabled";
        }, TimeSpan.FromSeconds(5));
        Assert.IsTrue(disabled, $"ups.beeper.status never became disabled\n{last}");
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upscmd_refuses_a_user_without_instcmd_rights(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);
        var command = kind == NutServerKind.Upsd ? "load.off" : "beeper.disable";

        var result = await NutTool.RunAsync("upscmd", "-u", "viewer", "-p", "look", server.Target(InteropSetup.UpsName), command);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.AllOutput, "Unexpected response from upsd: ERR ACCESS-DENIED", result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upscmd_refuses_a_wrong_password(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);
        var command = kind == NutServerKind.Upsd ? "load.off" : "beeper.disable";

        var result = await NutTool.RunAsync("upscmd", "-u", "admin", "-p", "wrong", server.Target(InteropSetup.UpsName), command);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.AllOutput, "Unexpected response from upsd: ERR ACCESS-DENIED", result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upscmd_reports_an_unknown_command_as_not_supported(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upscmd", "-u", "admin", "-p", "secret", server.Target(InteropSetup.UpsName), "no.such.cmd");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.AllOutput, "ERR CMD-NOT-SUPPORTED", result.ToString());
    }
}
