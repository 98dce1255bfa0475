using System.Diagnostics;
using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;
using UpsAgent.Tui.Link;
using UpsAgent.Tui.Screens;

namespace UpsAgent.Tui.Tests.Screens;

/// <summary>
/// The console window in a headless Terminal.Gui session on virtual time: keys are injected, the
/// screen is read back as text, and the 2 s refresh fires when the test advances the clock.
/// </summary>
internal sealed class ConsoleHarness : IDisposable
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PatienceLimit = TimeSpan.FromSeconds(10);
    private readonly SocketAgentLink _statusLink;
    private readonly SocketAgentLink _commandLink;
    private readonly SessionToken? _session;

    public ConsoleHarness(string socketPath)
    {
        Time = new VirtualTimeProvider();
        App = Application.Create(Time);
        App.Init(DriverRegistry.Names.ANSI);
        _statusLink = new SocketAgentLink(socketPath);
        _commandLink = new SocketAgentLink(socketPath);
        Window = new ConsoleWindow(_statusLink, _commandLink, Refresh);
        _session = App.Begin(Window);
        Window.Attach(App);
    }

    public VirtualTimeProvider Time { get; }

    public IApplication App { get; }

    public ConsoleWindow Window { get; }

    public string Screen
    {
        get
        {
            App.LayoutAndDraw();
            return App.Driver!.ToString() ?? string.Empty;
        }
    }

    public void Type(string text)
    {
        foreach (char c in text)
        {
            App.InjectKey(new Key(c));
        }
    }

    public void Press(Key key) => App.InjectKey(key);

    /// <summary>Runs what background work handed to the UI thread until <paramref name="done"/> holds.</summary>
    public void PumpUntil(Func<bool> done, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > PatienceLimit)
            {
                Assert.Fail($"timed out waiting for {what}; status:\n{string.Join('\n', Window.StatusLines)}\noutput:\n{string.Join('\n', Window.OutputLines)}");
            }

            App.TimedEvents!.RunTimers();
            Thread.Sleep(5);
        }
    }

    /// <summary>Lets the refresh timer fire once on virtual time and waits for its reply to be shown.</summary>
    public void NextRefresh()
    {
        Window.LastRefresh.Wait(PatienceLimit);
        Time.Advance(Refresh);
        App.TimedEvents!.RunTimers();
        Assert.IsTrue(Window.LastRefresh.Wait(PatienceLimit), "the refresh did not finish");
        App.TimedEvents!.RunTimers();
    }

    public void Dispose()
    {
        if (_session is not null)
        {
            App.End(_session);
        }

        Window.Dispose();
        App.Dispose();
        _statusLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _commandLink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
