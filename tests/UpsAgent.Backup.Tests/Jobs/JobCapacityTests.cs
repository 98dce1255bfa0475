using UpsAgent.Backup.Jobs;

namespace UpsAgent.Backup.Tests.Jobs;

[TestClass]
public sealed class JobCapacityTests
{
    // Disc types are the sectors the smallest disc of the type holds; K/M/G are powers of 1000 as discs are
    // labelled, so "700M" fits an 80-minute CD (737,280,000 bytes) and "4.7G" a DVD+R (4,700,372,992).
    [TestMethod]
    [DataRow("cd", 737_280_000L)]
    [DataRow("CD700", 737_280_000L)]
    [DataRow("cd650", 681_984_000L)]
    [DataRow("dvd", 4_700_372_992L)]
    [DataRow("bd25", 25_025_314_816L)]
    [DataRow("700M", 700_000_000L)]
    [DataRow("700MB", 700_000_000L)]
    [DataRow("4.7G", 4_700_000_000L)]
    [DataRow("4482MiB", 4_699_717_632L)]
    [DataRow("4482Mi", 4_699_717_632L)]
    [DataRow("359999s", 737_277_952L)]
    [DataRow("131072", 131_072L)]
    [DataRow("0.5TB", 500_000_000_000L)]
    public void Sizes_and_disc_types_read_as_bytes(string text, long bytes)
    {
        Assert.AreEqual(bytes, JobCapacity.Parse(text).Bytes);
        Assert.AreEqual((uint)(bytes / 2048), JobCapacity.Parse(text).Blocks("/nonexistent/image.iso"));
    }

    [TestMethod]
    public void Free_is_the_image_file_systems_free_space_plus_the_image_itself()
    {
        using var dir = new TempDirectory();
        string image = Path.Combine(dir.Path, "grown.iso");
        File.WriteAllBytes(image, new byte[40 * 2048]);
        Assert.AreSame(JobCapacity.FreeSpace, JobCapacity.Parse("free"));
        long free = new DriveInfo(dir.Path).AvailableFreeSpace / 2048;
        uint blocks = JobCapacity.FreeSpace.Blocks(image);

        // Other writers on the machine move the free space while the test runs: a margin, not an equality.
        Assert.IsInRange(free + 40 - 4096, free + 40 + 4096, (long)blocks);
    }

    [TestMethod]
    [DataRow("", "is not a capacity")]
    [DataRow("big", "is not a capacity")]
    [DataRow("4.7 G", "is not a capacity")]
    [DataRow("-700M", "is not a capacity")]
    [DataRow("700X", "is not a capacity")]
    [DataRow("1,5G", "is not a capacity")]
    [DataRow("63s", "give at least 64 sectors")]
    [DataRow("9TiB", "at most 2^32 sectors")]
    public void Anything_else_is_refused_with_what_would_do(string text, string expected)
    {
        FormatException e = Assert.ThrowsExactly<FormatException>(() => JobCapacity.Parse(text));
        Assert.Contains(expected, e.Message);
    }
}
