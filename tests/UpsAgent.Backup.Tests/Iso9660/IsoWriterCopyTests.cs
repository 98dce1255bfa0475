using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Tests.Iso9660;

/// <summary>
/// File data reaches the image by copy_file_range when source and image are files the kernel can copy
/// between, and through a buffer otherwise. Every path must give the same bytes as the plain managed
/// writer (a MemoryStream image fed from MemoryStreams), and a sparse source must stay sparse.
/// </summary>
[TestClass]
public sealed class IsoWriterCopyTests
{
    private const long Time = MemoryTree.Time;
    private const long SparseBytes = 8L << 20;

    [TestMethod]
    public void Kernel_copy_forced_buffer_and_managed_writer_give_identical_images()
    {
        using var dir = new TempDirectory();
        string src = CreateTree(Path.Combine(dir.Path, "src"));
        SourceNode snapshot = SourceScanner.Scan(src);
        byte[] reference = ManagedImage(snapshot);

        string kernel = WriteFile(dir.Path, "kernel.iso", snapshot, new IsoWriteOptions { SparseOutput = true });
        string buffered = WriteFile(dir.Path, "buffered.iso", snapshot, new IsoWriteOptions { SparseOutput = true, KernelCopy = false });
        string dense = WriteFile(dir.Path, "dense.iso", snapshot, new IsoWriteOptions { SparseOutput = false, KernelCopy = true });

        foreach (string image in new[] { kernel, buffered, dense })
        {
            Assert.AreEqual(Hash(reference), Hash(File.ReadAllBytes(image)), Path.GetFileName(image));
        }

        // The 8 MiB source holds 6 MiB of hole; in sparse mode the kernel path leaves it a hole in the image.
        long size = new FileInfo(kernel).Length;
        Assert.IsLessThan(size - (4L << 20), PosixFiles.LStat(kernel).AllocatedBytes, "holes of the source were written");
        Assert.IsLessThan(size - (4L << 20), PosixFiles.LStat(buffered).AllocatedBytes, "holes of the source were written");
    }

    [TestMethod]
    public void A_source_on_another_file_system_falls_back_to_the_buffer_with_the_same_bytes()
    {
        // /tmp and /dev/shm are different file systems on most hosts (disk and tmpfs): copy_file_range
        // between them fails with EXDEV and the writer reads and writes instead.
        if (!Directory.Exists("/dev/shm"))
        {
            Assert.Inconclusive("no tmpfs at /dev/shm on this host");
        }

        string shm = Path.Combine("/dev/shm", $"upsagent-iso-{Guid.NewGuid():N}");
        try
        {
            using var dir = new TempDirectory();
            string src = CreateTree(Path.Combine(shm, "src"));
            SourceNode snapshot = SourceScanner.Scan(src);
            byte[] reference = ManagedImage(snapshot);
            string across = WriteFile(dir.Path, "across.iso", snapshot, new IsoWriteOptions { SparseOutput = true });
            Assert.AreEqual(Hash(reference), Hash(File.ReadAllBytes(across)));

            // And the other way round: a disk source, an image on tmpfs.
            SourceNode diskSnapshot = SourceScanner.Scan(CreateTree(Path.Combine(dir.Path, "src")));
            string back = WriteFile(shm, "back.iso", diskSnapshot, new IsoWriteOptions { SparseOutput = true });
            Assert.AreEqual(Hash(ManagedImage(diskSnapshot)), Hash(File.ReadAllBytes(back)));
        }
        finally
        {
            Directory.Delete(shm, recursive: true);
        }
    }

    [TestMethod]
    public void A_file_that_grows_during_the_copy_is_written_as_the_snapshot_saw_it()
    {
        using var dir = new TempDirectory();
        string src = CreateTree(Path.Combine(dir.Path, "src"));
        SourceNode snapshot = SourceScanner.Scan(src);
        byte[] reference = ManagedImage(snapshot);
        string grown = Path.Combine(src, "big", "chunked.bin");

        // The file gains bytes after it was opened, before its data is copied.
        string image = WriteFile(dir.Path, "grow.iso", snapshot, new IsoWriteOptions { SparseOutput = true }, node =>
        {
            Stream s = IsoImageFile.OpenSource(node);
            if (node.SourcePath == grown)
            {
                File.AppendAllText(grown, "appended while the image was written");
            }

            return s;
        });
        Assert.AreEqual(Hash(reference), Hash(File.ReadAllBytes(image)));
    }

    [TestMethod]
    public void A_file_that_shrinks_during_the_copy_is_named_and_how_far_it_got()
    {
        foreach (bool kernelCopy in new[] { true, false })
        {
            using var dir = new TempDirectory();
            string src = CreateTree(Path.Combine(dir.Path, "src"));
            SourceNode snapshot = SourceScanner.Scan(src);
            string shrunk = Path.Combine(src, "big", "chunked.bin");
            long before = new FileInfo(shrunk).Length;

            var e = Assert.ThrowsExactly<IOException>(() => WriteFile(dir.Path, "shrink.iso", snapshot, new IsoWriteOptions { SparseOutput = true, KernelCopy = kernelCopy }, node =>
            {
                Stream s = IsoImageFile.OpenSource(node);
                if (node.SourcePath == shrunk)
                {
                    using var f = new FileStream(shrunk, FileMode.Open, FileAccess.Write);
                    f.SetLength(before / 2);
                }

                return s;
            }));
            StringAssert.Contains(e.Message, shrunk);
            StringAssert.Contains(e.Message, $"shrank while it was written: {before / 2} of {before} bytes");
        }
    }

    [TestMethod]
    public void Progress_counts_every_data_byte_once_on_the_kernel_path()
    {
        using var dir = new TempDirectory();
        string src = CreateTree(Path.Combine(dir.Path, "src"));
        SourceNode snapshot = SourceScanner.Scan(src);
        var seen = new List<long>();
        WriteFile(dir.Path, "progress.iso", snapshot, new IsoWriteOptions { SparseOutput = true, OnDataBytes = seen.Add });
        long total = IsoPlanner.Plan(snapshot, new IsoOptions("TEST", Time)).Files.Sum(f => f.SizeBytes);
        Assert.AreEqual(total, seen[^1]);
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.IsGreaterThan(seen[i - 1], seen[i]);
        }
    }

    [TestMethod]
    public void A_source_swapped_for_a_symlink_after_the_snapshot_is_refused_not_followed()
    {
        using var dir = new TempDirectory();
        string src = CreateTree(Path.Combine(dir.Path, "src"));
        SourceNode snapshot = SourceScanner.Scan(src);
        string victim = Path.Combine(src, "small_1.txt");
        File.Delete(victim);
        File.CreateSymbolicLink(victim, "/etc/hostname");
        var e = Assert.ThrowsExactly<IOException>(() => WriteFile(dir.Path, "swap.iso", snapshot, new IsoWriteOptions { SparseOutput = true }));
        StringAssert.Contains(e.Message, victim);
        StringAssert.Contains(e.Message, "symbolic link");
    }

    /// <summary>
    /// Files for both paths: small ones (buffer), large ones (kernel), one over a 16 MiB kernel chunk with a
    /// tail that is no whole block, a sparse one with data at both ends, an empty one.
    /// </summary>
    private static string CreateTree(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "big"));
        var random = new Random(7);
        for (int i = 0; i < 5; i++)
        {
            byte[] small = new byte[100 + (i * 1000)];
            random.NextBytes(small);
            File.WriteAllBytes(Path.Combine(root, $"small_{i}.txt"), small);
        }

        foreach ((string name, int size) in new[] { ("a.bin", 65536), ("b.bin", 300_001), ("c.bin", 2 << 20), ("chunked.bin", (16 << 20) + 5000) })
        {
            byte[] data = new byte[size];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(root, "big", name), data);
        }

        using (var sparse = new FileStream(Path.Combine(root, "big", "sparse.img"), FileMode.CreateNew, FileAccess.Write))
        {
            sparse.SetLength(SparseBytes);
            byte[] data = new byte[1 << 20];
            random.NextBytes(data);
            sparse.Write(data);
            sparse.Position = SparseBytes - data.Length - 777;
            sparse.Write(data);
        }

        File.WriteAllBytes(Path.Combine(root, "empty.dat"), []);
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Append(root))
        {
            PosixFiles.SetTimes(path, Time, Time);
        }

        return root;
    }

    private static byte[] ManagedImage(SourceNode snapshot)
    {
        IsoPlan plan = IsoPlanner.Plan(snapshot, new IsoOptions("TEST", Time));
        using var output = new MemoryStream();
        IsoWriter.Write(plan, output, n => new MemoryStream(File.ReadAllBytes(n.SourcePath!)));
        return output.ToArray();
    }

    private static string WriteFile(string directory, string name, SourceNode snapshot, IsoWriteOptions options, Func<SourceNode, Stream>? open = null)
    {
        string path = Path.Combine(directory, name);
        IsoPlan plan = IsoPlanner.Plan(snapshot, new IsoOptions("TEST", Time));
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        IsoWriter.Write(plan, output, open ?? IsoImageFile.OpenSource, options);
        return path;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
