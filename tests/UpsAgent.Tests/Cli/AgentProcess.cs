using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace UpsAgent.Tests.Cli;

/// <summary>Runs the real upsagent executable (dotnet upsagent.dll) as a child process.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stderr = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "upsagent.dll");

    public string Stderr
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    public int Pid => _process.Id;

    public static AgentProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        return new AgentProcess(Process.Start(info)!);
    }

    /// <summary>Runs upsagent to completion with optional stdin; returns exit code and output.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new AssertFailedException($"upsagent {string.Join(' ', args)} did not finish within 60 s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new AssertFailedException($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            Thread.Sleep(50);
        }
    }

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM like systemd does and waits for the exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            throw new AssertFailedException("upsagent did not stop after SIGTERM; stderr:\n" + Stderr);
        }

        // The timed wait returns at exit, possibly before the last stderr lines reach the handler;
        // the untimed one also waits for the redirected streams to end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
