using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using UpsAgent.Core.Processes;

namespace UpsAgent.Shutdown.Execution;

/// <summary>Starts real programs; output is kept up to a bound, and a program past its limit is killed with its children.</summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    private const int MaxOutputChars = 16 * 1024;

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        var output = new StringBuilder();
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                if (output.Length < MaxOutputChars)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(127, false, $"cannot start {spec.FileName}: {e.Message}", started.Elapsed);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it ended on its own meanwhile
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (!timedOut)
            {
                throw;
            }
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new ProcessResult(timedOut ? -1 : process.ExitCode, timedOut, text, started.Elapsed);
    }
}
