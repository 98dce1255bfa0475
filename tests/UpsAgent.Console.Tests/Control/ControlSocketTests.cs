using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Console.Control;
using UpsAgent.Console.Repl;
using UpsAgent.Console.Tests.Repl;

namespace UpsAgent.Console.Tests.Control;

[TestClass]
public sealed class ControlSocketTests
{
    private static string TempSocketPath() =>
        Path.Combine(Path.GetTempPath(), "upsagent-test-" + Guid.NewGuid().ToString("N")[..12], "ctl.sock");

    private static CommandShell NewShell()
    {
        var ups = new TestUps();
        var shell = new CommandShell();
        var context = new AgentContext(ups.Registry, [], "test");
        AgentCommands.Register(shell, context);
        UpsCommands.Register(shell, context);
        shell.Add(new ReplCommand("echo", "echo TEXT", "", i =>
        {
            i.Output.WriteLine(string.Join(' ', i.Arguments));
            return Task.FromResult(0);
        }));
        return shell;
    }

    [TestMethod]
    public async Task Commands_run_in_the_agent_and_return_output_and_status()
    {
        string path = TempSocketPath();
        await using var server = new ControlServer(path, NewShell(), NullLogger.Instance);
        server.Start();
        await using ControlClient client = ControlClient.TryConnect(path) ?? throw new AssertFailedException("no agent");
        var output = new StringWriter { NewLine = "\n" };
        Assert.AreEqual(0, await client.ExecuteAsync("ups get ups ups.status", output, CancellationToken.None));
        Assert.AreEqual(1, await client.ExecuteAsync("ups get nosuch ups.status", output, CancellationToken.None));
        string text = output.ToString();
        StringAssert.StartsWith(text, "OL CHRG\n");
        StringAssert.Contains(text, "unknown UPS 'nosuch'");
    }

    [TestMethod]
    public async Task The_socket_is_readable_by_its_owner_only()
    {
        string path = TempSocketPath();
        await using var server = new ControlServer(path, NewShell(), NullLogger.Instance);
        server.Start();
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [TestMethod]
    public async Task Output_cannot_forge_the_end_of_a_reply()
    {
        string path = TempSocketPath();
        await using var server = new ControlServer(path, NewShell(), NullLogger.Instance);
        server.Start();
        await using ControlClient client = ControlClient.TryConnect(path)!;
        var output = new StringWriter { NewLine = "\n" };
        Assert.AreEqual(0, await client.ExecuteAsync("echo \u001e7 text", output, CancellationToken.None));
        Assert.AreEqual("7 text\n", output.ToString());
    }

    [TestMethod]
    public async Task A_second_agent_on_the_same_socket_is_refused_and_a_stale_file_is_replaced()
    {
        string path = TempSocketPath();
        var first = new ControlServer(path, NewShell(), NullLogger.Instance);
        first.Start();
        var second = new ControlServer(path, NewShell(), NullLogger.Instance);
        var e = Assert.ThrowsExactly<IOException>(second.Start);
        StringAssert.Contains(e.Message, "another agent");
        await first.DisposeAsync();

        // A killed agent leaves its socket file behind with nobody listening.
        File.WriteAllText(path, string.Empty);
        Assert.IsTrue(File.Exists(path));
        Assert.IsNull(ControlClient.TryConnect(path));
        await using var third = new ControlServer(path, NewShell(), NullLogger.Instance);
        third.Start();
        Assert.IsTrue(ControlClient.IsAgentListening(path));
    }

    [TestMethod]
    public async Task An_overlong_request_closes_that_connection_only()
    {
        string path = TempSocketPath();
        await using var server = new ControlServer(path, NewShell(), NullLogger.Instance);
        server.Start();
        using (var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            raw.Connect(new UnixDomainSocketEndPoint(path));
            byte[] junk = Encoding.ASCII.GetBytes(new string('x', ControlFraming.MaxRequestChars + 10));
            try
            {
                raw.Send(junk);
            }
            catch (SocketException)
            {
                // the agent may already have closed it
            }

            var buffer = new byte[16];
            raw.ReceiveTimeout = 5000;
            Assert.AreEqual(0, raw.Receive(buffer));
        }

        await using ControlClient client = ControlClient.TryConnect(path)!;
        Assert.AreEqual(0, await client.ExecuteAsync("ups list", new StringWriter(), CancellationToken.None));
    }
}
