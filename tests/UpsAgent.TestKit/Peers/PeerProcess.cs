using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// A child process whose stdout and stderr are captured in memory. Disposing it terminates the
/// process (SIGTERM, then SIGKILL of the whole tree), so a failing test never leaves it behind.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private PeerProcess(Process process, string label)
    {
        _process = process;
        Label = label;
    }

    public string Label { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything written so far to stdout and stderr, interleaved by arrival.</summary>
    public string Output
    {
        get { lock (_gate) { return _output.ToString(); } }
    }

    public static PeerProcess Start(string label, string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process, label);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{label}: could not start {fileName}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop with SIGTERM and kills the whole tree if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        // upsmon forks a child that outlives a SIGTERMed parent, so the whole tree is asked to stop,
        // and whatever of it is still there after the grace period is killed.
        var tree = ProcessTree.Of(_process.Id);
        foreach (var member in tree)
        {
            _ = Kill(member.Pid, SigTerm);
        }
        if (!await WaitForExitAsync(grace).ConfigureAwait(false))
        {
            KillTree();
            await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        foreach (var member in tree.Where(m => m.IsAlive))
        {
            _ = Kill(member.Pid, SigKill);
        }
    }

    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        _process.Dispose();
    }

    public override string ToString() => $"{Label} (pid {_process.Id})";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
