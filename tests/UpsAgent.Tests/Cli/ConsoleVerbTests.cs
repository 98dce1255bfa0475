using UpsAgent.Cli;

namespace UpsAgent.Tests.Cli;

[TestClass]
public sealed class ConsoleVerbTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("upsagent-console").FullName;

    [TestMethod]
    public void Console_without_a_terminal_refuses_at_once_and_points_to_the_repl()
    {
        // The test host has no terminal; a console that started anyway would wait here forever.
        string socket = Path.Combine(TempDir(), "ctl.sock");
        var (code, stdout, stderr) = AgentProcess.Run(null, "console", "--control-socket", socket);
        Assert.AreEqual(1, code, stdout + stderr);
        StringAssert.Contains(stderr, "needs an interactive terminal");
        StringAssert.Contains(stderr, "upsagent repl");
        Assert.AreEqual(string.Empty, stdout, "nothing is drawn");
    }

    [TestMethod]
    public void Console_with_no_control_socket_says_there_is_nothing_to_attach_to()
    {
        var (code, _, stderr) = AgentProcess.Run(null, "console", "--control-socket", "none");
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "upsagent repl");
    }

    [TestMethod]
    public void Console_rejects_stray_arguments()
    {
        var (code, _, stderr) = AgentProcess.Run(null, "console", "extra");
        Assert.AreEqual(2, code);
        StringAssert.Contains(stderr, "console: unexpected argument 'extra'");
    }

    [TestMethod]
    public void The_running_agent_never_loads_Terminal_Gui()
    {
        // The console and Terminal.Gui are built beside upsagent, so the agent could load them if
        // anything on its path touched them; it must not (footprint rule: the console is a client).
        Assert.IsTrue(File.Exists(Path.Combine(AppContext.BaseDirectory, "Terminal.Gui.dll")), "Terminal.Gui.dll sits beside upsagent.dll");
        Assert.IsTrue(File.Exists(Path.Combine(AppContext.BaseDirectory, ConsoleVerb.ExecutableName + ".dll")));

        string dir = TempDir();
        string socket = Path.Combine(dir, "ctl.sock");
        int port = AgentProcess.FreePort();
        using AgentProcess agent = AgentProcess.Start("run", "--listen-nut", $"127.0.0.1:{port}", "--control-socket", socket);
        AgentProcess.WaitUntil(() => File.Exists(socket) && AgentProcess.Accepts(port), TimeSpan.FromSeconds(30), "the agent to listen");

        // Let it serve what the console asks for, then look at what the process has mapped.
        var (code, stdout, stderr) = AgentProcess.Run(null, "repl", "--control-socket", socket, "-c", "status tsv");
        Assert.AreEqual(0, code, stderr);
        StringAssert.Contains(stdout, $"agent\tagent pid {agent.Pid}");
        string maps = File.ReadAllText($"/proc/{agent.Pid}/maps");
        StringAssert.Contains(maps, "UpsAgent.Console.dll", "the maps list the managed assemblies the agent loaded");
        Assert.IsFalse(maps.Contains("Terminal.Gui", StringComparison.OrdinalIgnoreCase), "the agent mapped Terminal.Gui");
        Assert.IsFalse(maps.Contains(ConsoleVerb.ExecutableName, StringComparison.Ordinal), "the agent mapped the console");
        Assert.AreEqual(0, agent.Terminate(TimeSpan.FromSeconds(20)));
    }

    [TestMethod]
    public void The_agent_assemblies_do_not_reference_Terminal_Gui_or_the_console()
    {
        // What the assemblies reference is also what a NativeAOT build compiles in (and whose module
        // initializers it runs at start), so this holds for the published binary too.
        foreach (System.Reflection.Assembly assembly in new[] { typeof(ConsoleVerb).Assembly, typeof(Console.Control.ControlClient).Assembly })
        {
            string[] names = assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToArray();
            CollectionAssert.DoesNotContain(names, "Terminal.Gui", assembly.GetName().Name);
            CollectionAssert.DoesNotContain(names, ConsoleVerb.ExecutableName, assembly.GetName().Name);
        }
    }

    [TestMethod]
    public void Locate_runs_the_console_dll_through_the_same_dotnet_host()
    {
        string dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "upsagent-console.dll"), string.Empty);
        File.WriteAllText(Path.Combine(dir, "upsagent-console"), string.Empty);
        var start = ConsoleVerb.Locate(dir, "/usr/share/dotnet/dotnet");
        Assert.IsNotNull(start);
        Assert.AreEqual("/usr/share/dotnet/dotnet", start.FileName);
        CollectionAssert.AreEqual(new[] { Path.Combine(dir, "upsagent-console.dll") }, start.ArgumentList.ToArray());
    }

    [TestMethod]
    public void Locate_runs_the_native_console_beside_a_native_upsagent()
    {
        string dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "upsagent-console"), string.Empty);
        var start = ConsoleVerb.Locate(dir, Path.Combine(dir, "upsagent"));
        Assert.IsNotNull(start);
        Assert.AreEqual(Path.Combine(dir, "upsagent-console"), start.FileName);
        Assert.AreEqual(0, start.ArgumentList.Count);
    }

    [TestMethod]
    public void Locate_finds_nothing_when_the_console_is_not_installed()
    {
        Assert.IsNull(ConsoleVerb.Locate(TempDir(), "/usr/bin/upsagent"));
    }
}
