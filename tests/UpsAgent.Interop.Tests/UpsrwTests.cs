using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>NUT's upsrw against the real upsd 2.8.0 and against upsagent.</summary>
[TestClass]
[TestCategory("Interop")]
public sealed class UpsrwTests
{
    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsrw_lists_ups_id_as_a_writable_string_with_its_value(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsrw", server.Target(InteropSetup.UpsName));

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        var block = Block(result.StdOut, "ups.id");
        Assert.IsNotNull(block, $"no [ups.id] block\n{result}");
        // upsrw prints: [name] / description / Type: STRING / Maximum length: n / Value: v
        CollectionAssert.Contains(block, "Type: STRING", result.ToString());
        Assert.IsTrue(block.Any(line => line.StartsWith("Maximum length: ", StringComparison.Ordinal)), result.ToString());
        CollectionAssert.Contains(block, "Value: rack-a", result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsrw_set_changes_the_value_upsc_shows(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);
        var target = server.Target(InteropSetup.UpsName);

        var result = await NutTool.RunAsync("upsrw", "-s", "ups.id=rack-b", "-u", "admin", "-p", "secret", target);

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreEqual("OK", result.AllOutput.Trim(), result.ToString());
        // upsd forwards the SET to dummy-ups, which applies it on its next poll (1-2 s later).
        ToolResult? last = null;
        var applied = await InteropSetup.EventuallyAsync(async () =>
        {
            last = await NutTool.RunAsync("upsc", target, "ups.id");
            return last.StdOut.Trim() == "rack-b";
        }, TimeSpan.FromSeconds(6));
        Assert.IsTrue(applied, $"ups.id never became rack-b\n{last}");
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsrw_set_with_tracking_reports_success(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsrw", "-s", "ups.id=rack-c", "-u", "admin", "-p", "secret", "-w",
            server.Target(InteropSetup.UpsName));

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreEqual("SUCCESS", result.AllOutput.Trim(), result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsrw_set_refuses_a_value_longer_than_the_string_limit(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsrw", "-s", "ups.id=this string is longer than sixteen", "-u", "admin", "-p", "secret",
            server.Target(InteropSetup.UpsName));

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.AllOutput, "Unexpected response from upsd: ERR TOO-LONG", result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsrw_set_refuses_a_user_without_set_rights(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsrw", "-s", "ups.id=rack-b", "-u", "viewer", "-p", "look", server.Target(InteropSetup.UpsName));

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.AllOutput, "Unexpected response from upsd: ERR ACCESS-DENIED", result.ToString());
    }

    /// <summary>The lines of one <c>[name]</c> block of upsrw's listing, without the header.</summary>
    private static List<string>? Block(string stdout, string name)
    {
        var lines = stdout.Split('\n');
        var start = Array.IndexOf(lines, $"[{name}]");
        return start < 0 ? null : lines.Skip(start + 1).TakeWhile(line => line.Length > 0).ToList();
    }
}
