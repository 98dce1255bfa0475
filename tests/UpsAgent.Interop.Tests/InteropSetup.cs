using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>The UPS, users and device files every interop scenario is configured with, on both servers.</summary>
internal static class InteropSetup
{
    public const string UpsName = "ups";
    public const string Description = "Simulated UPS";

    public static readonly NutUser Admin = NutUser.Admin("admin", "secret");
    public static readonly NutUser Viewer = NutUser.Viewer("viewer", "look");
    public static readonly NutUser Secondary = NutUser.Monitor("mon", "pass", UpsmonRole.Secondary);
    public static readonly NutUser Primary = NutUser.Monitor("boss", "chief", UpsmonRole.Primary);

    public static string OnlineDevice => Path.Combine(AppContext.BaseDirectory, "Devices", "online.dev");

    public static string OutageSequence => Path.Combine(AppContext.BaseDirectory, "Devices", "outage.seq");

    public static NutSetup For(string deviceFile) =>
        new([new SimulatedUps(UpsName, Description, deviceFile)], [Admin, Viewer, Secondary, Primary]);

    public static Task<INutServerPeer> StartAsync(NutServerKind kind, string? deviceFile = null)
    {
        // Fail with the fix rather than a missing-file stack: CI installs these packages too.
        Assert.IsTrue(NutPaths.Installed, "NUT 2.8.0 is not installed: apt-get install nut-server nut-client");
        return NutServerLauncher.StartAsync(kind, For(deviceFile ?? OnlineDevice));
    }

    /// <summary>The <c>name: value</c> lines of a dummy-ups device file, first step only for a sequence.</summary>
    public static IReadOnlyDictionary<string, string> DeviceVariables(string deviceFile)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(deviceFile))
        {
            var line = raw.Trim();
            if (line.StartsWith("TIMER", StringComparison.Ordinal))
            {
                break;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || colon < 0)
            {
                continue;
            }
            variables[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return variables;
    }

    /// <summary>The repository's hw/devices folder, found by walking up to UpsAgent.sln; null outside a checkout.</summary>
    public static string? ShippedDevice(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpsAgent.sln")))
            {
                var path = Path.Combine(dir.FullName, "hw", "devices", name);
                return File.Exists(path) ? path : null;
            }
        }
        return null;
    }

    /// <summary>Polls until the condition holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }
}
