using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Console.Control;
using UpsAgent.Console.Repl;
using UpsAgent.Core.Commands;
using UpsAgent.Core.State;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Tui.Tests;

/// <summary>
/// An agent in this process behind a real control socket: one UPS "ups" with the REPL's own
/// commands, and RAID and shutdown status lines the test sets, as the real agent's reporters write them.
/// </summary>
internal sealed class FakeAgent : IUpsCommandTarget, IDisposable
{
    private ControlServer? _server;

    public FakeAgent(string? socketPath = null)
    {
        SocketPath = socketPath ?? Path.Combine(Path.GetTempPath(), "upsagent-tui-" + Guid.NewGuid().ToString("N")[..12], "ctl.sock");
        Store = new UpsStateStore("ups", "Rack UPS", new FakeClock());
        Writer = Store.CreateWriter();
        Writer.Publish(
        [
            new UpsVariable("ups.status", "OB DISCHRG"),
            new UpsVariable("battery.charge", "42"),
            new UpsVariable("battery.runtime", "1200"),
        ],
        ["beeper.disable"]);
        Raid = new LinesReporter("raid", "  md0: raid1 clean, degraded, recovering, 1/2 in sync, events 40, recover 37.5%");
        Shutdown = new LinesReporter("shutdown", "  command: /sbin/poweroff", "  ups: primary, power value 1: on battery, 42% left", "  no shutdown decided");
        var shell = new CommandShell();
        var context = new AgentContext(new UpsRegistry([new UpsUnit(Store, this)]), [Raid, Shutdown], "agent pid 4242");
        AgentCommands.Register(shell, context);
        UpsCommands.Register(shell, context);
        Shell = shell;
    }

    public string SocketPath { get; }

    public UpsStateStore Store { get; }

    public UpsStateWriter Writer { get; }

    public LinesReporter Raid { get; }

    public LinesReporter Shutdown { get; }

    public CommandShell Shell { get; }

    public FakeAgent Start()
    {
        _server = new ControlServer(SocketPath, Shell, NullLogger.Instance);
        _server.Start();
        return this;
    }

    public ValueTask<CommandOutcome> SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Success);

    public ValueTask<CommandOutcome> RunInstantCommandAsync(string name, string? parameter, CancellationToken cancellationToken) =>
        ValueTask.FromResult(CommandOutcome.Success);

    /// <summary>Stops the agent; synchronous, so a console test keeps to the one thread Terminal.Gui runs on.</summary>
    public void Dispose()
    {
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server = null;
        string? directory = Path.GetDirectoryName(SocketPath);
        if (directory is not null && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    internal sealed class LinesReporter(string name, params string[] lines) : IStatusReporter
    {
        public string Name => name;

        public string[] Lines { get; set; } = lines;

        public void WriteStatus(TextWriter output)
        {
            foreach (string line in Lines)
            {
                output.WriteLine(line);
            }
        }
    }
}
