using System.Diagnostics;
using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>Runs one of NUT's command-line clients (upsc, upscmd, upsrw) to completion with a time limit.</summary>
public static class NutTool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<ToolResult> RunAsync(string tool, params string[] arguments) =>
        await RunAsync(tool, arguments, DefaultTimeout).ConfigureAwait(false);

    public static Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunProgramAsync(NutPaths.Client(tool), tool, arguments, timeout);

    /// <summary>Runs any program to completion (killing its tree at the time limit); <paramref name="label"/> names it in the result.</summary>
    public static async Task<ToolResult> RunProgramAsync(string fileName, string label, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"could not start {label}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        var command = new StringBuilder(label);
        foreach (var argument in arguments)
        {
            command.Append(' ').Append(argument);
        }
        return new ToolResult(command.ToString(), process.ExitCode,
            await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), timedOut);
    }
}
