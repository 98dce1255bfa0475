using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>NUT's upsc against the real upsd 2.8.0 (the reference) and against upsagent, same device file.</summary>
[TestClass]
[TestCategory("Interop")]
public sealed class UpscTests
{
    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_l_lists_the_configured_ups(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsc", "-l", server.HostPort);

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreEqual(InteropSetup.UpsName, result.StdOut.Trim(), result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_L_lists_the_ups_with_its_description(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsc", "-L", server.HostPort);

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreEqual($"{InteropSetup.UpsName}: {InteropSetup.Description}", result.StdOut.Trim(), result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_prints_every_variable_of_the_device_file_with_its_value(NutServerKind kind) =>
        await AssertUpscShowsDeviceFileAsync(kind, InteropSetup.OnlineDevice);

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_prints_every_variable_of_the_shipped_online_device(NutServerKind kind)
    {
        var shipped = InteropSetup.ShippedDevice("online.dev");
        if (shipped is null)
        {
            Assert.Inconclusive("hw/devices/online.dev is not in this checkout");
        }
        await AssertUpscShowsDeviceFileAsync(kind, shipped);
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_prints_a_single_variable(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var status = await NutTool.RunAsync("upsc", server.Target(InteropSetup.UpsName), "ups.status");
        var charge = await NutTool.RunAsync("upsc", server.Target(InteropSetup.UpsName), "battery.charge");

        Assert.AreEqual(0, status.ExitCode, $"{status}\n{server.Log}");
        Assert.AreEqual("OL\n", status.StdOut, status.ToString());
        Assert.AreEqual("100\n", charge.StdOut, charge.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_reports_an_unknown_ups_and_exits_1(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsc", server.Target("nosuch"));

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StdErr, "Error: Unknown UPS", result.ToString());
        Assert.AreEqual("", result.StdOut, result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_reports_an_unsupported_variable_and_exits_1(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsc", server.Target(InteropSetup.UpsName), "no.such.var");

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StdErr, "Error: Variable not supported by UPS", result.ToString());
    }

    [TestMethod]
    [DataRow(NutServerKind.Upsd)]
    [DataRow(NutServerKind.UpsAgent)]
    public async Task upsc_answers_server_version_even_for_an_unknown_ups(NutServerKind kind)
    {
        await using var server = await InteropSetup.StartAsync(kind);

        var result = await NutTool.RunAsync("upsc", server.Target("nosuch"), "server.version");

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        Assert.AreNotEqual("", result.StdOut.Trim(), result.ToString());
    }

    private static async Task AssertUpscShowsDeviceFileAsync(NutServerKind kind, string deviceFile)
    {
        await using var server = await InteropSetup.StartAsync(kind, deviceFile);

        var result = await NutTool.RunAsync("upsc", server.Target(InteropSetup.UpsName));

        Assert.AreEqual(0, result.ExitCode, $"{result}\n{server.Log}");
        var shown = ParseUpscListing(result.StdOut);
        var expected = InteropSetup.DeviceVariables(deviceFile);
        var problems = expected
            .Where(pair => !shown.TryGetValue(pair.Key, out var value) || value != pair.Value)
            .Select(pair => $"{pair.Key}: expected '{pair.Value}', got '{shown.GetValueOrDefault(pair.Key, "(missing)")}'")
            .ToList();
        Assert.IsEmpty(problems, $"{string.Join('\n', problems)}\n{result}");
        // Like upsd, nothing answered by the server itself (server.*) appears in the listing.
        Assert.IsFalse(shown.Keys.Any(name => name.StartsWith("server.", StringComparison.Ordinal)), result.ToString());
    }

    /// <summary>upsc prints <c>name: value</c>, one per line, sorted by name.</summary>
    internal static Dictionary<string, string> ParseUpscListing(string stdout)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = line.IndexOf(": ", StringComparison.Ordinal);
            if (separator > 0)
            {
                variables[line[..separator]] = line[(separator + 2)..];
            }
        }
        return variables;
    }
}
