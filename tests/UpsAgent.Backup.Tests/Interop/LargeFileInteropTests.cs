using System.Diagnostics;
using System.Text.RegularExpressions;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Sessions;

namespace UpsAgent.Backup.Tests.Interop;

// A file over 4 GiB is written as multi-extent sections of 4 GiB − 2 KiB (specs/iso.md §1.10). The source
// is sparse and the image stays sparse (holes are skipped, not written), so this costs seconds; reading
// the whole file back through bsdtar is the slow part, hence its own category.
[TestClass]
[TestCategory("Interop")]
[TestCategory("LargeFile")]
public sealed class LargeFileInteropTests
{
    private const long Size = 4_831_838_208; // 4.5 GiB
    private const long Section = IsoPlanner.SectionLimitBytes;

    [TestMethod]
    public void A_sparse_file_over_4_GiB_is_split_into_sections_that_isoinfo_xorriso_bsdtar_and_7z_read_whole()
    {
        Tool.Require("/usr/bin/isoinfo", "genisoimage");
        Tool.Require("/usr/bin/xorriso", "xorriso");
        Tool.Require("/usr/bin/bsdtar", "libarchive-tools");
        Tool.Require("/usr/bin/7z", "p7zip-full");
        using var dir = new TempDirectory();
        string src = Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(src);
        string big = Path.Combine(src, "big.bin");
        (long Offset, string Text)[] marks = [(0, "START"), (Section - 3, "EDGE!!"), (Size - 4, "END!")];
        using (var file = new FileStream(big, FileMode.CreateNew, FileAccess.Write))
        {
            file.SetLength(Size);
            foreach ((long offset, string text) in marks)
            {
                file.Position = offset;
                file.Write(System.Text.Encoding.ASCII.GetBytes(text));
            }
        }

        File.WriteAllText(Path.Combine(src, "small.txt"), "one\n");
        string image = Path.Combine(dir.Path, "big.iso");
        Thread.Sleep(1100);
        SessionAppender.Append(image, src, new AppendOptions());
        File.WriteAllText(Path.Combine(src, "small.txt"), "two\n");
        AppendResult second = SessionAppender.Append(image, src, new AppendOptions());

        // The second session kept both sections of the big file where the first wrote them.
        Assert.AreEqual(1, second.FilesReused);
        Assert.IsLessThan(Size / 2, AllocatedBytes(image), "the image is not sparse");
        string listing = Tool.Ok("/usr/bin/isoinfo", "-R", "-l", "-i", image);
        MatchCollection sections = new Regex(@"(\d+) \S+ \d+ \d+ \[\s*(\d+) (?:FFFF|00)\]?\s+big\.bin").Matches(listing);
        Assert.HasCount(2, sections, listing);
        Assert.AreEqual(Section, long.Parse(sections[0].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual(Size - Section, long.Parse(sections[1].Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        long first = long.Parse(sections[0].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(first + (Section / 2048), long.Parse(sections[1].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsLessThan(second.Session.StartLba, (uint)first);

        StringAssert.Contains(Tool.Ok("/usr/bin/xorriso", "-indev", image, "-find", "/", "-exec", "lsdl"), $" {Size} ");
        StringAssert.Contains(Tool.Ok("/usr/bin/bsdtar", "-tvf", image), $" {Size} ");
        StringAssert.Contains(Tool.Ok("/usr/bin/7z", "l", image), $" {Size} ");

        // bsdtar joins the sections: every marker is where it was, the length is exact.
        (long length, Dictionary<long, string> seen) = StreamOut("/usr/bin/bsdtar", ["-xOf", image, "big.bin"], marks);
        Assert.AreEqual(Size, length);
        foreach ((long offset, string text) in marks)
        {
            Assert.AreEqual(text, seen[offset], $"at byte {offset}");
        }
    }

    private static long AllocatedBytes(string path)
    {
        (int code, string output) = Tool.Run("/usr/bin/stat", "-c", "%b %B", path);
        Assert.AreEqual(0, code, output);
        string[] parts = output.Trim().Split(' ');
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a tool's stdout as a stream: its length and the text found at each marker's offset.</summary>
    private static (long Length, Dictionary<long, string> Seen) StreamOut(string tool, string[] args, (long Offset, string Text)[] marks)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Stream output = p.StandardOutput.BaseStream;
        byte[] buffer = new byte[1 << 20];
        var seen = marks.ToDictionary(m => m.Offset, _ => "");
        long position = 0;
        var deadline = Stopwatch.StartNew();
        int n;
        while ((n = output.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach ((long offset, string text) in marks)
            {
                for (int i = 0; i < text.Length; i++)
                {
                    long at = offset + i - position;
                    if (at >= 0 && at < n)
                    {
                        seen[offset] += (char)buffer[at];
                    }
                }
            }

            position += n;
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                p.Kill();
                Assert.Fail($"{tool} still streaming after 120 s at byte {position}");
            }
        }

        Assert.IsTrue(p.WaitForExit(30_000), $"{tool} did not exit");
        Assert.AreEqual(0, p.ExitCode, stderr.Result);
        return (position, seen);
    }
}
