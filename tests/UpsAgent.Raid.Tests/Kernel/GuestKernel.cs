using System.Diagnostics;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// Debian's linux-image-cloud-amd64 as installed on the host: the kernel image and, from its
/// modules.dep, the modules md needs in an order where every module follows its dependencies.
/// </summary>
internal sealed class GuestKernel
{
    // virtio disks, then md with every personality the tests assemble (spec raid.md §5).
    private static readonly string[] Wanted = ["virtio_pci", "virtio_blk", "md_mod", "raid0", "raid1", "raid10", "raid456"];

    private GuestKernel(string image, string moduleDirectory, IReadOnlyList<string> modules)
    {
        Image = image;
        ModuleDirectory = moduleDirectory;
        Modules = modules;
    }

    public string Image { get; }

    public string ModuleDirectory { get; }

    /// <summary>Module paths relative to <see cref="ModuleDirectory"/>, in load order.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>The installed cloud kernel, or null with the reason it cannot be used.</summary>
    public static GuestKernel? Find(out string problem)
    {
        string? image = Directory.Exists("/boot")
            ? Directory.GetFiles("/boot", "vmlinuz-*-cloud-amd64").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (image is null)
        {
            problem = "no /boot/vmlinuz-*-cloud-amd64 (Debian package linux-image-cloud-amd64)";
            return null;
        }

        string release = Path.GetFileName(image)["vmlinuz-".Length..];
        string modules = Path.Combine("/lib/modules", release);
        string depFile = Path.Combine(modules, "modules.dep");
        if (!File.Exists(depFile))
        {
            problem = $"{depFile} is missing";
            return null;
        }

        var deps = new Dictionary<string, (string Path, string[] Deps)>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(depFile))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            string path = line[..colon];
            string[] needs = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            deps[ModuleName(path)] = (path, needs);
        }

        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in Wanted)
        {
            if (!deps.ContainsKey(name))
            {
                problem = $"module {name} is not in {depFile}";
                return null;
            }

            Visit(name, deps, seen, order);
        }

        problem = string.Empty;
        return new GuestKernel(image, modules, order);
    }

    /// <summary>The module file as insmod wants it: compressed modules are unpacked with xz or zstd.</summary>
    public byte[] ReadModule(string relativePath)
    {
        string path = Path.Combine(ModuleDirectory, relativePath);
        if (path.EndsWith(".ko", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(path);
        }

        string tool = path.EndsWith(".xz", StringComparison.Ordinal) ? "xz" : path.EndsWith(".zst", StringComparison.Ordinal) ? "zstd" : "gzip";
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add(path);
        using Process p = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        using var buffer = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(buffer);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} -dc {path} exited with {p.ExitCode}");
        }

        return buffer.ToArray();
    }

    // Dependencies first (depth first), each module once.
    private static void Visit(string name, Dictionary<string, (string Path, string[] Deps)> deps, HashSet<string> seen, List<string> order)
    {
        if (!seen.Add(name))
        {
            return;
        }

        (string path, string[] needs) = deps[name];
        foreach (string need in needs)
        {
            Visit(ModuleName(need), deps, seen, order);
        }

        order.Add(path);
    }

    // kernel/drivers/md/md-mod.ko(.xz) → md_mod: module names treat '-' and '_' alike.
    private static string ModuleName(string path)
    {
        string file = Path.GetFileName(path);
        int ko = file.IndexOf(".ko", StringComparison.Ordinal);
        return (ko > 0 ? file[..ko] : file).Replace('-', '_');
    }
}
