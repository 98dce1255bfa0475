using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// Builds the guest's whole userland as an uncompressed newc initramfs: busybox-static, the host's
/// mdadm with the shared libraries ldd names, the md and virtio modules, an /init that loads them and
/// runs the test's script, then powers off.
/// </summary>
internal static class GuestInitramfs
{
    public const string Busybox = "/bin/busybox";
    public const string Mdadm = "/sbin/mdadm";

    public static string? Problem()
    {
        foreach (string tool in new[] { Busybox, Mdadm, "/usr/bin/ldd" })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing (Debian packages busybox-static, mdadm, libc-bin)";
            }
        }

        return null;
    }

    public static void Write(string path, GuestKernel kernel, string script)
    {
        using FileStream file = File.Create(path);
        using var cpio = new CpioNewcWriter(file);
        foreach (string dir in new[] { "bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "run", "etc" })
        {
            cpio.AddDirectory(dir);
        }

        // The kernel opens /dev/console for init's stdio before devtmpfs exists.
        cpio.AddCharDevice("dev/console", 5, 1);
        cpio.AddFile("bin/busybox", File.ReadAllBytes(Busybox), executable: true);
        cpio.AddFile("sbin/mdadm", File.ReadAllBytes(Mdadm), executable: true);
        foreach (string library in SharedLibraries(Mdadm))
        {
            cpio.AddFile(library, File.ReadAllBytes(library), executable: true);
        }

        var init = new StringBuilder();
        init.Append("""
            #!/bin/busybox sh
            /bin/busybox --install -s /bin
            export PATH=/bin:/sbin
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t devtmpfs dev /dev
            exec </dev/null >/dev/console 2>&1

            """);
        for (int i = 0; i < kernel.Modules.Count; i++)
        {
            string name = $"modules/{i:D2}-{Path.GetFileName(kernel.Modules[i]).Replace(".xz", "", StringComparison.Ordinal).Replace(".zst", "", StringComparison.Ordinal)}";
            cpio.AddFile(name, kernel.ReadModule(kernel.Modules[i]), executable: false);
            init.Append(CultureInfo.InvariantCulture, $"insmod /{name} || echo \"insmod {name} failed\"\n");
        }

        init.Append("""
            sh /guest.sh
            sync
            poweroff -f

            """);
        cpio.AddFile("init", Encoding.ASCII.GetBytes(init.ToString()), executable: true);
        cpio.AddFile("guest.sh", Encoding.ASCII.GetBytes(script), executable: true);
    }

    // ldd prints "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)".
    private static IEnumerable<string> SharedLibraries(string binary)
    {
        var start = new ProcessStartInfo("/usr/bin/ldd") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        using Process p = Process.Start(start) ?? throw new InvalidOperationException("cannot start ldd");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var found = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string? path = words.FirstOrDefault(w => w.StartsWith('/'));
            if (path is not null && File.Exists(path))
            {
                found.Add(path);
            }
        }

        return found;
    }
}
