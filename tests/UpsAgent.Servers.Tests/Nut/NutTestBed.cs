using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.Servers.Nut;
using UpsAgent.TestKit.Timing;
using UpsAgent.TestKit.Transport;

namespace UpsAgent.Servers.Tests.Nut;

/// <summary>
/// A NUT server over in-memory connections with two UPSes shaped like the reference harness:
/// "static" (dummy-ups, always OL) and "outage" (no description), and the users of its upsd.users.
/// </summary>
public sealed class NutTestBed : IAsyncDisposable
{
    public const string AdminPassword = "adminpass";
    public const string HashedPassword = "hashedpass";
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly CancellationTokenSource _stop = new();

    public NutTestBed(Func<NutServerOptions, NutServerOptions>? configure = null, bool withWaitingUps = false)
    {
        Static = new UpsStateStore("static", "Static dummy UPS (always OL)", Clock);
        StaticWriter = Static.CreateWriter();
        StaticWriter.Publish(StandardVariables(), ["load.off", "beeper.disable"]);
        Outage = new UpsStateStore("outage", string.Empty, Clock);
        OutageWriter = Outage.CreateWriter();
        OutageWriter.Publish([new UpsVariable("ups.status", "OL"), new UpsVariable("battery.charge", "80")], ["load.off"]);
        var units = new List<UpsUnit> { new(Static, StaticCommands), new(Outage, OutageCommands) };
        if (withWaitingUps)
        {
            // Never published: the driver has not delivered its first dump.
            units.Add(new UpsUnit(new UpsStateStore("fresh", string.Empty, Clock), new FakeCommandTarget()));
        }

        Registry = new UpsRegistry(units);
        Users = new NutUserTable(
        [
            new NutUser("admin", PasswordVerifier.Parse(AdminPassword), NutAction.Set | NutAction.Fsd, ["ALL"]),
            new NutUser("viewer", PasswordVerifier.Parse("viewpass")),
            new NutUser("beeper", PasswordVerifier.Parse("beeppass"), NutAction.None, ["BEEPER.DISABLE"]),
            new NutUser("monprimary", PasswordVerifier.Parse("primpass"), upsmonRole: NutUpsmonRole.Primary),
            new NutUser("monsecondary", PasswordVerifier.Parse("secpass"), upsmonRole: NutUpsmonRole.Secondary),
            new NutUser("hashed", PasswordVerifier.Parse(PasswordVerifier.Hash(HashedPassword, iterations: 1000)), NutAction.Set),
        ]);
        var options = new NutServerOptions { Listen = [new IPEndPoint(IPAddress.Loopback, 0)] };
        Options = configure is null ? options : configure(options);
        Server = new NutServer(Options, Registry, Users, Clock, Logger);
    }

    public FakeClock Clock { get; } = new();

    public ListLogger Logger { get; } = new();

    public UpsStateStore Static { get; }

    public UpsStateWriter StaticWriter { get; }

    public FakeCommandTarget StaticCommands { get; } = new();

    public UpsStateStore Outage { get; }

    public UpsStateWriter OutageWriter { get; }

    public FakeCommandTarget OutageCommands { get; } = new();

    public UpsRegistry Registry { get; }

    public NutUserTable Users { get; }

    public NutServerOptions Options { get; }

    public NutServer Server { get; }

    public static IEnumerable<UpsVariable> StandardVariables() =>
    [
        new UpsVariable("ups.status", "OL CHRG"),
        new UpsVariable("battery.charge", "100") { Flags = VariableFlags.ReadWrite },
        new UpsVariable("ups.id", "static-ups") { Flags = VariableFlags.ReadWrite | VariableFlags.String, MaxLength = 16 },
        new UpsVariable("ups.beeper.status", "enabled")
        {
            Flags = VariableFlags.ReadWrite | VariableFlags.String,
            MaxLength = 8,
            EnumValues = ["enabled", "disabled", "muted"],
        },
        new UpsVariable("ups.delay.shutdown", "20")
        {
            Flags = VariableFlags.ReadWrite,
            Ranges = ImmutableArray.Create(new ValueRange(0, 600), new ValueRange(900, 1200)),
        },
        new UpsVariable("driver.name", "dummy-ups"),
        new UpsVariable("device.model", "Rack \"B\" #2 \\ 3") { Flags = VariableFlags.String, MaxLength = 32 },
    ];

    /// <summary>Opens a session; the task ends when the session does.</summary>
    public InMemoryClient Connect(IPEndPoint? remote = null, bool sendsWaitForServer = false) => Connect(out _, remote, sendsWaitForServer);

    public InMemoryClient Connect(out Task session, IPEndPoint? remote = null, bool sendsWaitForServer = false)
    {
        (InMemoryConnection server, InMemoryClient client) = InMemoryConnection.CreatePair(remote, sendsWaitForServer);
        session = RunAsync(server);
        _sessions.Add(session);
        return client;
    }

    /// <summary>Opens a session and sends USERNAME / PASSWORD (both answered OK).</summary>
    public async Task<InMemoryClient> ConnectAsAsync(string user, string password, bool sendsWaitForServer = false)
    {
        InMemoryClient client = Connect(sendsWaitForServer: sendsWaitForServer);
        Assert.AreEqual("OK", await client.RequestAsync($"USERNAME {user}"));
        Assert.AreEqual("OK", await client.RequestAsync($"PASSWORD {password}"));
        return client;
    }

    /// <summary>Polls until a condition holds (the session runs on other threads).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Server.DisposeAsync();
        await Task.WhenAll(_sessions).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
        Assert.AreEqual(0, Logger.Errors.Count(), string.Join("\n", Logger.Errors.Select(e => e.Message + " " + e.Exception)));
    }

    private async Task RunAsync(InMemoryConnection connection)
    {
        await using (connection)
        {
            await Server.ServeAsync(connection, _stop.Token);
        }
    }
}
