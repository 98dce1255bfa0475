using System.Diagnostics;
using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>
/// "upsagent iso build" against "genisoimage -R -J" and "xorriso -as mkisofs -R -J" on the same trees
/// (specs/iso.md §5): a mixed tree of about 1 GiB (large files of log-normal sizes plus the small files) and
/// the small files alone. Trees and images live on tmpfs, so the cache is warm and the disk is out of the
/// picture; each round runs the three tools one after the other, so drift on a shared host hits all alike.
/// Peak RSS is the child's ru_maxrss from wait4, as /usr/bin/time -f %M reports it.
/// </summary>
public static class IsoBenchmark
{
    private const string Genisoimage = "/usr/bin/genisoimage";
    private const string Xorriso = "/usr/bin/xorriso";
    private const string GnuTime = "/usr/bin/time";

    public static int Run(IsoBenchOptions options)
    {
        var agent = options.AgentAssembly ?? NutBenchmark.FromRepository("src/UpsAgent/bin/Release/net10.0/upsagent.dll");
        if (agent is null || !File.Exists(agent))
        {
            Console.Error.WriteLine($"upsagent.dll not found ({agent ?? "no repository here"}); build it first: dotnet build -c Release src/UpsAgent, or pass --agent PATH");
            return 2;
        }

        foreach (var (tool, package) in new[] { (Genisoimage, "genisoimage"), (Xorriso, "xorriso"), (GnuTime, "time") })
        {
            if (!File.Exists(tool))
            {
                Console.Error.WriteLine($"{tool} is not installed (Debian package {package})");
                return 2;
            }
        }

        Directory.CreateDirectory(options.WorkDirectory);
        var mixed = Path.Combine(options.WorkDirectory, "mixed");
        var small = Path.Combine(options.WorkDirectory, "small");
        var (mixedBytes, mixedFiles) = IsoBenchTree.Ensure(mixed, options.BigBytes, options.SmallFiles);
        var (smallBytes, smallFiles) = IsoBenchTree.Ensure(small, 0, options.SmallFiles);
        Console.Error.WriteLine(Invariant($"agent: {agent}\ntrees: {mixed} ({mixedFiles} files, {mixedBytes} bytes), {small} ({smallFiles} files, {smallBytes} bytes)"));

        var tools = new (string Name, Func<string, string, string[]> Command)[]
        {
            ("genisoimage -R -J", (src, output) => [Genisoimage, "-quiet", "-input-charset", "utf-8", "-R", "-J", "-o", output, src]),
            ("xorriso -as mkisofs -R -J", (src, output) => [Xorriso, "-as", "mkisofs", "-quiet", "-R", "-J", "-o", output, src]),
            // A published native build (PublishAot) runs as it is; a .dll through the dotnet host.
            ("upsagent iso build", (src, output) => agent.EndsWith(".dll", StringComparison.Ordinal)
                ? ["dotnet", agent, "iso", "build", "-o", output, src]
                : [agent, "iso", "build", "-o", output, src]),
        };

        var results = new Dictionary<(string Tree, string Tool), List<(double Seconds, long RssKib, long ImageBytes)>>();
        var failures = 0;
        foreach (var (treeName, tree) in new[] { ("mixed", mixed), ("small", small) })
        {
            for (var round = 0; round <= options.Rounds; round++)
            {
                foreach (var (name, command) in tools)
                {
                    var output = Path.Combine(options.WorkDirectory, "out.iso");
                    var run = Measure(command(tree, output), options.WorkDirectory);
                    File.Delete(output);
                    if (run is null)
                    {
                        failures++;
                        continue;
                    }

                    // Round 0 warms the page cache, the tools' code and the JIT's disk cache; it is not counted.
                    if (round > 0)
                    {
                        results.TryAdd((treeName, name), []);
                        results[(treeName, name)].Add(run.Value);
                        Console.Error.WriteLine(Invariant($"{treeName} round {round}: {name}: {run.Value.Seconds:0.000} s, {run.Value.RssKib} KiB, image {run.Value.ImageBytes} bytes"));
                    }
                }
            }
        }

        Console.WriteLine(Invariant($"Mixed tree: {mixedFiles} files, {mixedBytes:N0} bytes; small tree: {smallFiles} files, {smallBytes:N0} bytes. {options.Rounds} rounds, medians (min).\n"));
        Console.WriteLine("| tool | mixed: s | MB/s | peak RSS MiB | image bytes | small: s | µs/file | peak RSS MiB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, _) in tools)
        {
            if (!results.TryGetValue(("mixed", name), out var m) || !results.TryGetValue(("small", name), out var s))
            {
                continue;
            }

            Console.WriteLine(Invariant(
                $"| {name} | {Median(m, r => r.Seconds):0.000} ({m.Min(r => r.Seconds):0.000}) | {mixedBytes / 1e6 / Median(m, r => r.Seconds):0} | {Median(m, r => r.RssKib) / 1024.0:0.0} | {m[0].ImageBytes:N0} | {Median(s, r => r.Seconds):0.000} ({s.Min(r => r.Seconds):0.000}) | {Median(s, r => r.Seconds) * 1e6 / smallFiles:0} | {Median(s, r => r.RssKib) / 1024.0:0.0} |"));
        }

        var ours = tools[^1].Name;
        foreach (var (name, _) in tools.SkipLast(1))
        {
            if (results.TryGetValue(("mixed", name), out var pm) && results.TryGetValue(("mixed", ours), out var om)
                && results.TryGetValue(("small", name), out var ps) && results.TryGetValue(("small", ours), out var os))
            {
                Console.WriteLine(Invariant(
                    $"\nours/{name}: throughput {Median(pm, r => r.Seconds) / Median(om, r => r.Seconds):0.00}x, time per small file {Median(os, r => r.Seconds) / Median(ps, r => r.Seconds):0.00}x, peak RSS {Median(om, r => r.RssKib) / Median(pm, r => r.RssKib):0.00}x (mixed tree)"));
            }
        }

        if (!options.Keep)
        {
            Directory.Delete(options.WorkDirectory, recursive: true);
        }

        return failures == 0 ? 0 : 1;
    }

    private static (double Seconds, long RssKib, long ImageBytes)? Measure(string[] command, string workDirectory)
    {
        var timeFile = Path.Combine(workDirectory, "time.txt");
        var info = new ProcessStartInfo(GnuTime) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-f", "%M", "-o", timeFile, .. command])
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        var output = command[Array.IndexOf(command, "-o") + 1];
        if (p.ExitCode != 0 || !File.Exists(output))
        {
            Console.Error.WriteLine($"{string.Join(' ', command)} failed with exit code {p.ExitCode}: {stdout.Result}{stderr.Result}");
            return null;
        }

        var rss = long.Parse(File.ReadAllText(timeFile).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        return (seconds, rss, new FileInfo(output).Length);
    }

    private static double Median<T>(List<T> values, Func<T, double> key)
    {
        var sorted = values.Select(key).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
