using System.Diagnostics;

namespace UpsAgent.Raid.Tests.Kernel;

/// <summary>
/// One boot of the cloud kernel under qemu's software emulation (KVM is not usable on this host, spec
/// raid.md §5). Each image becomes a virtio disk carrying a serial the guest script finds it by; the
/// guest writes its results to the second serial port, kept apart from kernel messages on the first.
/// </summary>
internal static class QemuGuest
{
    public const string Qemu = "/usr/bin/qemu-system-x86_64";

    public static GuestRun Boot(GuestKernel kernel, string workDirectory, string script, IReadOnlyList<(string Image, string Serial)> disks, TimeSpan timeout)
    {
        string initrd = Path.Combine(workDirectory, "initrd.cpio");
        string console = Path.Combine(workDirectory, "console.log");
        string results = Path.Combine(workDirectory, "results.log");
        GuestInitramfs.Write(initrd, kernel, script);

        var start = new ProcessStartInfo(Qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "-machine", "q35,accel=tcg", "-cpu", "max", "-smp", "1", "-m", "512",
            "-display", "none", "-vga", "none", "-nic", "none", "-monitor", "none", "-no-reboot",
            "-serial", $"file:{console}", "-serial", $"file:{results}",
            "-kernel", kernel.Image, "-initrd", initrd,
            "-append", "console=ttyS0 panic=-1 quiet loglevel=4",
        })
        {
            start.ArgumentList.Add(arg);
        }

        // Eight disks to a PCI slot as functions of one multifunction device: q35's root bus has fewer
        // free slots than the session has disks.
        for (int i = 0; i < disks.Count; i++)
        {
            int slot = 8 + (i / 8);
            int function = i % 8;
            start.ArgumentList.Add("-drive");
            start.ArgumentList.Add($"file={disks[i].Image},format=raw,if=none,id=disk{i},cache=unsafe");
            start.ArgumentList.Add("-device");
            start.ArgumentList.Add($"virtio-blk-pci,drive=disk{i},serial={disks[i].Serial},addr=0x{slot:x}.{function}{(function == 0 ? ",multifunction=on" : string.Empty)}");
        }

        var stopwatch = Stopwatch.StartNew();
        using Process qemu = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {Qemu}");
        qemu.StandardInput.Close();
        Task<string> stdout = qemu.StandardOutput.ReadToEndAsync();
        Task<string> stderr = qemu.StandardError.ReadToEndAsync();
        bool exited = qemu.WaitForExit(timeout);
        if (!exited)
        {
            qemu.Kill();
            qemu.WaitForExit();
        }

        string output = stdout.Result + stderr.Result;
        return new GuestRun(
            exited,
            exited ? qemu.ExitCode : -1,
            File.Exists(console) ? File.ReadAllText(console) : string.Empty,
            File.Exists(results) ? File.ReadAllText(results) : string.Empty,
            output,
            stopwatch.Elapsed);
    }
}
