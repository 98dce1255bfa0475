using System.Net.Sockets;
using System.Text;

namespace UpsAgent.Tests.Cli;

[TestClass]
public sealed class ExecutableTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("upsagent-exe").FullName;

    private static string Ask(int port, string request)
    {
        using var client = new TcpClient("127.0.0.1", port);
        client.ReceiveTimeout = 5000;
        NetworkStream stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(request + "\n"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        return reader.ReadLine() ?? string.Empty;
    }

    [TestMethod]
    public void Run_serves_the_default_simulated_ups_and_stops_cleanly_on_sigterm()
    {
        string dir = TempDir();
        int port = AgentProcess.FreePort();
        string socket = Path.Combine(dir, "ctl.sock");
        using AgentProcess agent = AgentProcess.Start("run", "--listen-nut", $"127.0.0.1:{port}", "--control-socket", socket);
        AgentProcess.WaitUntil(() => AgentProcess.Accepts(port), TimeSpan.FromSeconds(30), "the NUT port");
        AgentProcess.WaitUntil(() => Ask(port, "GET VAR ups ups.status").StartsWith("VAR ups ups.status \"OL", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "status OL");
        StringAssert.StartsWith(Ask(port, "GET UPSDESC ups"), "UPSDESC ups ");

        // The NUT port can be up a moment before the control socket on a loaded host; a REPL started
        // in between would rightly run in-process, which is not what this test is about.
        AgentProcess.WaitUntil(() => File.Exists(socket), TimeSpan.FromSeconds(30), "the control socket");

        // The REPL attaches to the running agent through the control socket...
        var (code, stdout, stderr) = AgentProcess.Run("ups list\nstatus\n", "repl", "--control-socket", socket);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "OL");
        StringAssert.Contains(stdout, $"agent pid {agent.Pid}");
        StringAssert.Contains(stdout, "nut server:");

        // ...and changes made there are what NUT clients see.
        (code, stdout, stderr) = AgentProcess.Run(null, "repl", "--control-socket", socket, "-c", "ups cmd ups beeper.disable");
        Assert.AreEqual(0, code, stdout + stderr);
        AgentProcess.WaitUntil(() => Ask(port, "GET VAR ups ups.beeper.status") == "VAR ups ups.beeper.status \"disabled\"", TimeSpan.FromSeconds(10), "beeper disabled");

        Assert.AreEqual(0, agent.Terminate(TimeSpan.FromSeconds(20)));
        Assert.IsFalse(File.Exists(socket), "the control socket is removed on a clean stop");
        StringAssert.Contains(agent.Stderr, "stopped");
    }

    [TestMethod]
    public void Repl_runs_in_process_when_no_agent_is_running()
    {
        string socket = Path.Combine(TempDir(), "nobody.sock");
        var (code, stdout, stderr) = AgentProcess.Run("ups get ups ups.status\nstatus\nups get nosuch x\n", "repl", "--control-socket", socket);
        Assert.AreEqual(1, code, "the failing last command sets the exit status");
        StringAssert.StartsWith(stdout, "OL");
        StringAssert.Contains(stdout, "in-process");
        StringAssert.Contains(stdout, "unknown UPS 'nosuch'");
        Assert.IsFalse(stderr.Contains("Exception", StringComparison.Ordinal), stderr);
    }

    [TestMethod]
    public void A_configuration_error_names_file_line_and_key_and_exits_78()
    {
        string conf = Path.Combine(TempDir(), "bad.conf");
        File.WriteAllText(conf, "[nut]\nlisten = 127.0.0.1:1\n[ups ups]\nmode = never\n");
        var (code, _, stderr) = AgentProcess.Run(null, "run", "--config", conf, "--control-socket", "none");
        Assert.AreEqual(78, code);
        StringAssert.Contains(stderr, $"{conf}:4: mode:");
    }

    [TestMethod]
    public void Check_prints_what_would_run()
    {
        string conf = Path.Combine(TempDir(), "ok.conf");
        File.WriteAllText(conf, "[ups one]\n[ups two]\nfile = builtin:outage\n[user admin]\npassword = x\nactions = set\n");
        var (code, stdout, stderr) = AgentProcess.Run(null, "check", "--config", conf);
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, "ups one: driver simulated");
        StringAssert.Contains(stdout, "user admin: actions [SET]");
    }

    [TestMethod]
    public void Help_and_usage_errors()
    {
        var (code, stdout, _) = AgentProcess.Run(null, "--help");
        Assert.AreEqual(0, code);
        foreach (string verb in new[] { "run", "repl", "check", "passwd" })
        {
            StringAssert.Contains(stdout, verb);
        }

        (code, stdout, _) = AgentProcess.Run(null, "run", "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(stdout, "--listen-nut");
        string stderr;
        (code, _, stderr) = AgentProcess.Run(null, "run", "--bogus");
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "unknown option '--bogus'");
        (code, _, stderr) = AgentProcess.Run(null, "frobnicate");
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "unknown command 'frobnicate'");
    }

    [TestMethod]
    public void Passwd_prints_a_hash_the_server_accepts()
    {
        var (code, stdout, _) = AgentProcess.Run("s3cret\n", "passwd");
        Assert.AreEqual(0, code);
        string hash = stdout.Trim();
        StringAssert.StartsWith(hash, "pbkdf2-sha256$");
        Assert.IsTrue(Servers.Nut.PasswordVerifier.Parse(hash).Verify("s3cret"));
        Assert.IsFalse(Servers.Nut.PasswordVerifier.Parse(hash).Verify("wrong"));
    }
}
