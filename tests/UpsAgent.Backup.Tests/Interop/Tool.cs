using System.Diagnostics;

namespace UpsAgent.Backup.Tests.Interop;

/// <summary>Runs a peer tool with a deadline and returns its exit code and combined output.</summary>
internal static class Tool
{
    public static void Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            Assert.Inconclusive($"{path} is not installed (Debian package {package})");
        }
    }

    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in 30 s");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static string Ok(string file, params string[] args)
    {
        (int code, string output) = Run(file, args);
        Assert.AreEqual(0, code, $"{file} {string.Join(' ', args)} failed:\n{output}");
        return output;
    }
}
