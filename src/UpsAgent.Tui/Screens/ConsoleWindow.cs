using System.Collections.ObjectModel;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using UpsAgent.Tui.Link;
using UpsAgent.Tui.Status;

namespace UpsAgent.Tui.Screens;

/// <summary>
/// The console: a status pane the agent refreshes on a timer, an output pane, and a command line that
/// runs any REPL command in the agent. Socket I/O runs off the UI thread; results come back through
/// <see cref="IApplication.Invoke(Action)"/>.
/// </summary>
public sealed class ConsoleWindow : Window
{
    public const string StatusCommand = "status tsv";
    private const int MaxOutputLines = 5000;
    private const int MaxStatusRows = 14;

    // The status frame's left and right border, between the window's width and its rows'.
    private const int StatusBorderColumns = 2;

    private readonly IAgentLink _statusLink;
    private readonly IAgentLink _commandLink;
    private readonly TimeSpan _refreshInterval;
    private readonly FrameView _statusFrame;
    private readonly ListView _statusList;
    private readonly ObservableCollection<string> _statusLines = [];
    private readonly ObservableCollection<string> _statusRows = [];
    private readonly ListView _output;
    private readonly ObservableCollection<string> _outputLines = [];
    private readonly TextField _input;
    private readonly CommandHistory _history = new();
    private readonly CancellationTokenSource _closing = new();
    private IApplication? _app;
    private object? _refreshTimer;
    private int _refreshing;
    private int _wrappedWidth = -1;

    public ConsoleWindow(IAgentLink statusLink, IAgentLink commandLink, TimeSpan refreshInterval)
    {
        _statusLink = statusLink;
        _commandLink = commandLink;
        _refreshInterval = refreshInterval;
        Title = "UpsAgent console (Esc, F10 or Ctrl-Q quits; 'help' lists commands)";

        // The pane is as tall as the status wrapped to the width this layout pass gives it (up to a limit),
        // so a resize that changes the rows changes the height in the same pass.
        _statusFrame = new FrameView { Title = "Status", X = 0, Y = 0, Width = Dim.Fill() };
        _statusFrame.Height = Dim.Func(_ => Math.Clamp(StatusPane.Wrap(_statusLines, Viewport.Width - StatusBorderColumns).Count, 1, MaxStatusRows) + 2);
        _statusList = new ListView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        _statusList.SetSource(_statusRows);
        _statusFrame.Add(_statusList);

        // Long status lines wrap to the pane's width, again whenever the terminal is resized.
        _statusList.ViewportChanged += (_, _) =>
        {
            if (_statusList.Viewport.Width != _wrappedWidth)
            {
                ShowStatus();
            }
        };

        var outputFrame = new FrameView { Title = "Output", X = 0, Y = Pos.Bottom(_statusFrame), Width = Dim.Fill(), Height = Dim.Fill(1) };
        _output = new ListView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(), CanFocus = false };
        _output.SetSource(_outputLines);
        outputFrame.Add(_output);

        var prompt = new Label { X = 0, Y = Pos.AnchorEnd(1), Text = "upsagent> " };
        _input = new TextField { X = Pos.Right(prompt), Y = Pos.AnchorEnd(1), Width = Dim.Fill() };
        _input.Accepting += OnInputAccepting;
        _input.KeyDown += OnInputKeyDown;
        Add(_statusFrame, outputFrame, prompt, _input);
        SetStatus([$"connecting to {statusLink.Address}..."]);
    }

    /// <summary>The status as the agent gave it, one entry per line.</summary>
    public IReadOnlyList<string> StatusLines => _statusLines;

    /// <summary>The status pane's rows: <see cref="StatusLines"/> wrapped to its width.</summary>
    public IReadOnlyList<string> StatusRows => _statusRows;

    public IReadOnlyList<string> OutputLines => _outputLines;

    public TextField Input => _input;

    /// <summary>The refresh in flight, if any (tests wait on it).</summary>
    internal Task LastRefresh { get; private set; } = Task.CompletedTask;

    /// <summary>The command in flight, if any (tests wait on it).</summary>
    internal Task LastCommand { get; private set; } = Task.CompletedTask;

    /// <summary>Starts the status timer and the quit keys on <paramref name="app"/>; call once, before or after Begin/Run.</summary>
    public void Attach(IApplication app)
    {
        _app = app;
        app.Keyboard.KeyDown += OnAppKeyDown;
        _refreshTimer = app.AddTimeout(_refreshInterval, () =>
        {
            RefreshStatus();
            return true;
        });
        RefreshStatus();
        _input.SetFocus();
    }

    /// <summary>Asks the agent for its status unless a request is still out (a slow agent is not queued up).</summary>
    public void RefreshStatus()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        LastRefresh = Task.Run(async () =>
        {
            try
            {
                CommandReply? reply = await _statusLink.TryExecuteAsync(StatusCommand, _closing.Token).ConfigureAwait(false);
                AgentStatus? status = reply is { ExitCode: 0 } ? AgentStatus.Parse(reply.Lines) : null;
                IReadOnlyList<string> lines = reply switch
                {
                    null => StatusPane.NoAgent(_statusLink.Address, _refreshInterval),
                    { ExitCode: 0 } => StatusPane.Render(status!),
                    _ => ["The agent did not answer 'status tsv' (an older agent?):", .. reply.Lines],
                };
                string title = status is null || status.Where.Length == 0 ? "Status" : $"Status: {status.Where}";
                OnUiThread(() =>
                {
                    _statusFrame.Title = title;
                    SetStatus(lines);
                });
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    private void SetStatus(IReadOnlyList<string> lines)
    {
        _statusLines.Clear();
        foreach (string line in lines)
        {
            _statusLines.Add(line);
        }

        ShowStatus();
    }

    private void ShowStatus()
    {
        int width = _statusList.Viewport.Width;
        _wrappedWidth = width;
        IReadOnlyList<string> rows = StatusPane.Wrap(_statusLines, width);
        _statusRows.Clear();
        foreach (string row in rows)
        {
            _statusRows.Add(row);
        }

        _statusFrame.SetNeedsLayout();
    }

    private void OnInputAccepting(object? sender, CommandEventArgs e)
    {
        e.Handled = true; // Enter belongs to the command line, not to the window
        string line = _input.Text.Trim();
        _input.Text = string.Empty;
        if (line.Length == 0)
        {
            return;
        }

        _history.Add(line);
        AppendOutput(["upsagent> " + line]);
        if (line is "quit" or "exit")
        {
            Quit();
            return;
        }

        LastCommand = RunCommandAsync(line);
    }

    private async Task RunCommandAsync(string line)
    {
        try
        {
            CommandReply? reply = await _commandLink.TryExecuteAsync(line, _closing.Token).ConfigureAwait(false);
            IReadOnlyList<string> lines = reply is null
                ? [$"error: no agent is answering on {_commandLink.Address}; the command was not run"]
                : reply.Lines;
            OnUiThread(() => AppendOutput(lines));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void AppendOutput(IReadOnlyList<string> lines)
    {
        foreach (string line in lines)
        {
            _outputLines.Add(line);
        }

        while (_outputLines.Count > MaxOutputLines)
        {
            _outputLines.RemoveAt(0);
        }

        _output.MoveEnd();
    }

    private void OnInputKeyDown(object? sender, Key key)
    {
        string? recalled = key.KeyCode switch
        {
            Terminal.Gui.Drivers.KeyCode.CursorUp => _history.Previous(_input.Text),
            Terminal.Gui.Drivers.KeyCode.CursorDown => _history.Next(),
            _ => null,
        };
        if (key.KeyCode is Terminal.Gui.Drivers.KeyCode.CursorUp or Terminal.Gui.Drivers.KeyCode.CursorDown)
        {
            key.Handled = true;
            if (recalled is not null)
            {
                _input.Text = recalled;
                _input.MoveEnd();
            }
        }
    }

    private void OnAppKeyDown(object? sender, Key key)
    {
        if (key == Key.Esc || key == Key.F10 || key == Key.Q.WithCtrl)
        {
            key.Handled = true;
            Quit();
        }
    }

    private void Quit() => _app?.RequestStop(this);

    private void OnUiThread(Action action)
    {
        if (_closing.IsCancellationRequested || _app is not { } app)
        {
            return;
        }

        app.Invoke(() =>
        {
            if (!_closing.IsCancellationRequested)
            {
                action();
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _closing.Cancel();
            if (_app is { } app)
            {
                app.Keyboard.KeyDown -= OnAppKeyDown;
                if (_refreshTimer is not null)
                {
                    app.RemoveTimeout(_refreshTimer);
                }
            }
        }

        base.Dispose(disposing);
    }
}
