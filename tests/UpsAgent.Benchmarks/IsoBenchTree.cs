using System.Globalization;

namespace UpsAgent.Benchmarks;

/// <summary>
/// The benchmark trees of specs/iso.md §5: large incompressible files with log-normal sizes (about 236 KB to
/// 84 MB) up to the requested total, plus small files of 1-8 KiB spread over 50 directories. Seeded, so every
/// run measures the same tree; an existing tree with a matching stamp file is reused.
/// </summary>
public static class IsoBenchTree
{
    public static (long Bytes, int Files) Ensure(string root, long bigBytes, int smallFiles)
    {
        var stamp = Path.Combine(root, ".stamp");
        var wanted = string.Create(CultureInfo.InvariantCulture, $"{bigBytes} {smallFiles}");
        if (File.Exists(stamp) && File.ReadAllText(stamp) == wanted)
        {
            return Count(root);
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var random = new Random(20261126);
        var buffer = new byte[1 << 20];
        long written = 0;
        var big = Path.Combine(root, "big");
        Directory.CreateDirectory(big);
        for (var i = 0; written < bigBytes; i++)
        {
            // exp(N(14.5, 1.2)) bytes, clamped to the spec's range: median about 2 MB.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var size = (long)Math.Clamp(Math.Exp(14.5 + (1.2 * normal)), 236_000, 84_000_000);
            size = Math.Min(size, bigBytes - written);
            using var f = new FileStream(Path.Combine(big, string.Create(CultureInfo.InvariantCulture, $"file_{i:D4}.bin")), FileMode.CreateNew);
            for (var left = size; left > 0; left -= buffer.Length)
            {
                random.NextBytes(buffer);
                f.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
            }

            written += size;
        }

        for (var i = 0; i < smallFiles; i++)
        {
            var dir = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"small_{i % 50:D2}"));
            Directory.CreateDirectory(dir);
            var data = new byte[random.Next(1024, 8193)];
            random.NextBytes(data);
            File.WriteAllBytes(Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"f{i:D5}.dat")), data);
        }

        File.WriteAllText(stamp, wanted);
        return Count(root);
    }

    private static (long Bytes, int Files) Count(string root)
    {
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(p => new FileInfo(p)).ToList();
        return (files.Sum(f => f.Length), files.Count);
    }
}
