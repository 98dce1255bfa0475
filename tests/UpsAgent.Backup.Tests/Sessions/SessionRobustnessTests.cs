using System.Security.Cryptography;
using UpsAgent.Backup.Iso9660;
using UpsAgent.Backup.Sessions;
using static UpsAgent.Backup.Tests.Iso9660.MemoryTree;

namespace UpsAgent.Backup.Tests.Sessions;

// Bad input and interrupted appends: each case gives a clear error, and every session committed before stays readable.
[TestClass]
public sealed class SessionRobustnessTests
{
    private static readonly AppendOptions Options = new()
    {
        SnapshotTime = Time + 3600,
        OpenSource = n => new MemoryStream(Content(n)),
    };

    private static SourceNode Tree(int generation) =>
        Dir("", File("stable.bin", 50_000), File($"gen{generation}.txt", 1000 + generation), Dir("d", File($"x{generation}.dat", 70_000)));

    private static MemoryStream TwoSessions()
    {
        var image = new MemoryStream();
        SessionAppender.Append(image, Tree(1), Options);
        SessionAppender.Append(image, Tree(2), Options);
        return image;
    }

    [TestMethod]
    public void A_truncated_image_is_refused_and_left_as_it_was()
    {
        using MemoryStream full = TwoSessions();
        using var image = new MemoryStream(full.ToArray()[..((int)full.Length - 8192)]);
        string before = Hash(image);
        var e = Assert.ThrowsExactly<IsoFormatException>(() => SessionTable.Read(image));
        StringAssert.Contains(e.Message, "truncated");
        Assert.ThrowsExactly<IsoFormatException>(() => SessionAppender.Append(image, Tree(3), Options));
        Assert.AreEqual(before, Hash(image));

        // Something that is not an image at all, shorter than the descriptors' place.
        using var tiny = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(new string('x', 20000)));
        e = Assert.ThrowsExactly<IsoFormatException>(() => SessionTable.Read(tiny));
        StringAssert.Contains(e.Message, "not blank");
    }

    [TestMethod]
    public void A_corrupted_descriptor_is_named_by_block_and_nothing_is_written()
    {
        using MemoryStream image = TwoSessions();
        SessionTable table = SessionTable.Read(image);
        uint second = table.Sessions[1].StartLba;

        // The copy at block 16 that every reader starts from.
        byte[] bytes = image.ToArray();
        bytes[(16 * 2048) + 84] ^= 0x01;
        using var copy = new MemoryStream(bytes);
        var e = Assert.ThrowsExactly<IsoFormatException>(() => SessionAppender.Append(copy, Tree(3), Options));
        StringAssert.Contains(e.Message, "block 16");
        CollectionAssert.AreEqual(bytes, copy.ToArray());

        // The second session's own descriptor: the chain breaks there, and says so.
        bytes = image.ToArray();
        bytes[((second + 16) * 2048) + 1] = (byte)'X';
        using var chain = new MemoryStream(bytes);
        e = Assert.ThrowsExactly<IsoFormatException>(() => SessionTable.Read(chain));
        StringAssert.Contains(e.Message, $"session 2 at block {second}");
        Assert.ThrowsExactly<IsoFormatException>(() => SessionAppender.Append(chain, Tree(3), Options));
        CollectionAssert.AreEqual(bytes, chain.ToArray());

        // The first session's descriptor: without it the image no longer looks grown, and append refuses.
        bytes = image.ToArray();
        bytes[(48 * 2048) + 1] = (byte)'X';
        using var head = new MemoryStream(bytes);
        var refused = Assert.ThrowsExactly<SessionException>(() => SessionAppender.Append(head, Tree(3), Options));
        StringAssert.Contains(refused.Message, "block 48");
        CollectionAssert.AreEqual(bytes, head.ToArray());
    }

    [TestMethod]
    public void A_corrupted_directory_record_of_the_newest_session_stops_the_append_before_writing()
    {
        using MemoryStream image = TwoSessions();
        IsoImage newest = IsoImage.Open(image);
        uint root = newest.Root.Extents[0].Lba;
        byte[] bytes = image.ToArray();
        int third = (int)(root * 2048) + bytes[(int)(root * 2048)];
        third += bytes[third];
        bytes[third + 10] ^= 0xFF; // data length: LE half no longer matches BE half
        using var corrupt = new MemoryStream(bytes);
        var e = Assert.ThrowsExactly<IsoFormatException>(() => SessionAppender.Append(corrupt, Tree(3), Options));
        StringAssert.Contains(e.Message, "corrupt directory record");
        CollectionAssert.AreEqual(bytes, corrupt.ToArray());
    }

    [TestMethod]
    public void A_full_medium_is_refused_before_anything_is_written()
    {
        using MemoryStream image = TwoSessions();
        byte[] before = image.ToArray();
        SessionTable table = SessionTable.Read(image);
        uint capacity = table.NextWritableLba + 40;
        var e = Assert.ThrowsExactly<SessionException>(() => SessionAppender.Append(image, Tree(3), Options with { CapacityBlocks = capacity }));
        StringAssert.Contains(e.Message, "medium full");
        StringAssert.Contains(e.Message, $"holds {capacity} blocks (40 free)");
        CollectionAssert.AreEqual(before, image.ToArray());

        AppendResult fits = SessionAppender.Append(image, Tree(3), Options with { CapacityBlocks = 1_000_000 });
        Assert.IsLessThanOrEqualTo(1_000_000u, fits.Session.EndLba);
    }

    [TestMethod]
    public void An_unreadable_source_file_is_named_and_the_image_keeps_its_sessions()
    {
        using var dir = new TempDirectory();
        string src = System.IO.Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(src);
        System.IO.File.WriteAllText(System.IO.Path.Combine(src, "fine.txt"), "fine\n");
        string image = System.IO.Path.Combine(dir.Path, "grown.iso");
        SessionAppender.Append(image, src, new AppendOptions());
        byte[] before = System.IO.File.ReadAllBytes(image);

        string bad = System.IO.Path.Combine(src, "unreadable.db");
        System.IO.File.WriteAllText(bad, "locked\n");
        SourceNode snapshot = SourceScanner.Scan(src);
        if (Environment.IsPrivilegedProcess)
        {
            // root reads any mode: take the file away between snapshot and write instead.
            System.IO.File.Delete(bad);
        }
        else
        {
            System.IO.File.SetUnixFileMode(bad, UnixFileMode.None);
        }

        using (var stream = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
        {
            var e = Assert.ThrowsExactly<SessionException>(() => SessionAppender.Append(stream, snapshot, new AppendOptions()));
            StringAssert.Contains(e.Message, bad);
            StringAssert.Contains(e.Message, "nothing was committed");
        }

        CollectionAssert.AreEqual(before, System.IO.File.ReadAllBytes(image));
    }

    [TestMethod]
    public void A_read_error_in_the_middle_of_the_data_rolls_the_image_back()
    {
        using MemoryStream image = TwoSessions();
        byte[] before = image.ToArray();
        var failing = Options with
        {
            OpenSource = n => n.Name == "x3.dat" ? new FailingStream(Content(n), failAfterBytes: 40_000) : new MemoryStream(Content(n)),
        };
        var e = Assert.ThrowsExactly<IOException>(() => SessionAppender.Append(image, Tree(3), failing));
        StringAssert.Contains(e.Message, "x3.dat");
        CollectionAssert.AreEqual(before, image.ToArray());
        Assert.HasCount(2, SessionTable.Read(image).Sessions);
    }

    [TestMethod]
    public void Dying_at_any_write_leaves_every_committed_session_readable_and_the_next_append_works()
    {
        byte[] committed = TwoSessions().ToArray();
        long writes = CountWrites(committed);
        var random = new Random(16);
        // Bounded: 24 deaths spread over the whole append, including right before and after the commit.
        long[] deaths = [.. Enumerable.Range(0, 20).Select(_ => (long)random.Next(1, (int)writes - 1)), 0, 1, writes - 2, writes - 1];
        foreach (long death in deaths)
        {
            var underlying = new MemoryStream();
            underlying.Write(committed);
            var dying = new DyingStream(underlying, death);
            Assert.ThrowsExactly<IOException>(() => SessionAppender.Append(dying, Tree(3), Options), $"death after {death} writes");

            SessionTable table = SessionTable.Read(underlying);
            Assert.IsTrue(table.Sessions.Count is 2 or 3, $"death after {death} writes: {table.Sessions.Count} sessions");
            for (int n = 1; n <= table.Sessions.Count; n++)
            {
                IsoImage session = table.Open(underlying, n);
                foreach ((string path, IsoEntry entry) in session.Walk().Where(p => p.Entry.Kind == SourceKind.File))
                {
                    var data = new MemoryStream();
                    session.CopyFile(entry, data);
                    byte[] expected = Content(new SourceNode { Name = entry.Name, Kind = SourceKind.File, SizeBytes = entry.SizeBytes });
                    CollectionAssert.AreEqual(expected, data.ToArray(), $"death after {death} writes: session {n} {path}");
                }
            }

            AppendResult next = SessionAppender.Append(underlying, Tree(4), Options);
            Assert.AreEqual(table.Sessions.Count + 1, next.Session.Number);
            Assert.IsTrue(IsoImage.Open(underlying).Walk().Any(p => p.Path == "gen4.txt"));
        }
    }

    private static long CountWrites(byte[] committed)
    {
        var underlying = new MemoryStream();
        underlying.Write(committed);
        var counting = new DyingStream(underlying, long.MaxValue);
        SessionAppender.Append(counting, Tree(3), Options);
        return counting.Writes;
    }

    private static string Hash(Stream s)
    {
        s.Position = 0;
        return Convert.ToHexString(SHA256.HashData(s));
    }

    /// <summary>Reads fine up to a point, then fails like a disk with a bad sector.</summary>
    private sealed class FailingStream(byte[] data, int failAfterBytes) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position + count > failAfterBytes)
            {
                throw new IOException("Input/output error");
            }

            return base.Read(buffer, offset, count);
        }
    }

    /// <summary>
    /// Passes writes, length changes and flushes through until its budget of writes is spent, then fails
    /// every call, as a killed process does nothing more: no clean-up reaches the medium.
    /// </summary>
    private sealed class DyingStream(MemoryStream inner, long writesBeforeDeath) : Stream
    {
        private bool _dead;

        public long Writes { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush() => Check();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value)
        {
            Spend();
            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Spend();
            inner.Write(buffer, offset, count);
        }

        private void Spend()
        {
            Check();
            if (Writes >= writesBeforeDeath)
            {
                _dead = true;
                Check();
            }

            Writes++;
        }

        private void Check()
        {
            if (_dead)
            {
                throw new IOException("process killed");
            }
        }
    }
}
