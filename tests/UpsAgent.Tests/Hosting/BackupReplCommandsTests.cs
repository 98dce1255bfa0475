using UpsAgent.Console.Repl;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Hosting;

// The REPL's iso and media groups run the command line's subcommands: same options, same output.
[TestClass]
public sealed class BackupReplCommandsTests
{
    [TestMethod]
    public async Task The_repl_builds_appends_lists_verifies_and_extracts_images_and_handles_media()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"upsagent-isorepl-{Guid.NewGuid():N}");
        try
        {
            string src = Path.Combine(dir, "src");
            Directory.CreateDirectory(src);
            File.WriteAllText(Path.Combine(src, "a.txt"), "alpha\n");
            string state = Path.Combine(dir, "state");
            var shell = new CommandShell();
            BackupReplCommands.Register(shell);
            var output = new StringWriter();

            string built = Path.Combine(dir, "built.iso");
            Assert.AreEqual(0, await Run(shell, output, $"iso build -o {built} --manifest --state-dir {state} {src}"));
            Assert.AreEqual(0, await Run(shell, output, $"iso verify --state-dir {state} {built}"));
            StringAssert.Contains(output.ToString(), $"{built}: good: UPSAGENT");

            string grown = Path.Combine(dir, "grown.iso");
            Assert.AreEqual(0, await Run(shell, output, $"iso append -V FIRST {grown} {src}"));
            File.WriteAllText(Path.Combine(src, "b.txt"), "beta\n");
            Assert.AreEqual(0, await Run(shell, output, $"iso append -V SECOND --manifest --state-dir {state} {grown} {src}"));
            Assert.AreEqual(0, await Run(shell, output, $"iso verify --state-dir {state} {grown}"));
            StringAssert.Contains(output.ToString(), $"{grown}: good: SECOND");
            StringAssert.Contains(output.ToString(), "checked against the catalog's manifest", "the appended session went into the catalog");

            // Session 1 was appended without a manifest: its files cannot be checked, so --all-sessions fails.
            Assert.AreEqual(0, await Run(shell, output, $"iso verify --session 2 --state-dir {state} {grown}"));
            StringAssert.Contains(output.ToString(), $"{grown} session 2: good: SECOND");
            Assert.AreEqual(1, await Run(shell, output, $"iso verify --all-sessions --state-dir {state} {grown}"));
            StringAssert.Contains(output.ToString(), $"{grown} session 1: BAD");
            Assert.AreEqual(2, await Run(shell, output, $"iso verify --session 1 --all-sessions {grown}"));
            Assert.AreEqual(0, await Run(shell, output, $"iso sessions {grown}"));
            StringAssert.Contains(output.ToString(), "SECOND");
            Assert.AreEqual(0, await Run(shell, output, $"iso ls --session 1 {grown}"));
            StringAssert.Contains(output.ToString(), " a.txt");
            string restored = Path.Combine(dir, "restored");
            Assert.AreEqual(0, await Run(shell, output, $"iso extract {grown} {restored}"));
            Assert.AreEqual("beta\n", File.ReadAllText(Path.Combine(restored, "b.txt")));

            string disc = Path.Combine(dir, "disc.iso");
            Assert.AreEqual(0, await Run(shell, output, $"media blank --type cd700 {disc}"));
            Assert.AreEqual(0, await Run(shell, output, $"media msinfo {disc}"));
            StringAssert.Contains(output.ToString(), "blank medium, no previous session");
            Assert.AreEqual(0, await Run(shell, output, $"media status {disc}"));
            StringAssert.Contains(output.ToString(), "state:    blank");

            // Bad input: the usage error is named and the command's usage follows; a failure is exit 1.
            output.GetStringBuilder().Clear();
            Assert.AreEqual(2, await Run(shell, output, $"iso build {src}"));
            StringAssert.Contains(output.ToString(), "error: iso build: give the image to write with -o OUT.iso");
            StringAssert.Contains(output.ToString(), "usage: iso build");
            Assert.AreEqual(1, await Run(shell, output, $"iso ls {Path.Combine(dir, "missing.iso")}"));
            StringAssert.Contains(output.ToString(), "iso ls: ");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task<int> Run(CommandShell shell, StringWriter output, string line) => shell.ExecuteAsync(line, output, CancellationToken.None);
}
