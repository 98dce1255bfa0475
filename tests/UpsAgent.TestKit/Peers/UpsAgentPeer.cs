using System.Text;

namespace UpsAgent.TestKit.Peers;

/// <summary>
/// upsagent started as <c>dotnet upsagent.dll run --config FILE --control-socket PATH</c> from a private
/// directory, serving the NUT protocol on a free loopback port.
/// </summary>
public sealed class UpsAgentPeer : INutServerPeer
{
    private const int Attempts = 3;

    private readonly PeerProcess _agent;

    private UpsAgentPeer(string directory, int port, PeerProcess agent)
    {
        Directory = directory;
        Port = port;
        _agent = agent;
    }

    public NutServerKind Kind => NutServerKind.UpsAgent;

    public int Port { get; }

    public int ServerProcessId => _agent.Id;

    public string Directory { get; }

    public string Log => $"--- {_agent}\n{_agent.Output}";

    /// <summary>The agent's own log (stderr and stdout) so far.</summary>
    public string Output => _agent.Output;

    public bool HasExited => _agent.HasExited;

    public string ControlSocket => Path.Combine(Directory, "ctl.sock");

    /// <summary>upsagent.dll beside the running assembly: test projects reference src/UpsAgent, which puts it there.</summary>
    public static string DefaultAssembly => Path.Combine(AppContext.BaseDirectory, "upsagent.dll");

    public static Task<UpsAgentPeer> StartAsync(NutSetup setup, string? agentAssembly = null) =>
        StartWithConfigAsync(setup, null, agentAssembly);

    /// <summary>
    /// Starts the agent with the setup's UPSes and users plus <paramref name="extraConfig"/> appended as is
    /// (e.g. [shutdown] and [monitor NAME] sections). With no UPS in the setup the agent serves no NUT
    /// (<c>listen = none</c>) and only monitors; it counts as up once its control socket exists.
    /// </summary>
    public static async Task<UpsAgentPeer> StartWithConfigAsync(NutSetup setup, string? extraConfig, string? agentAssembly = null)
    {
        var assembly = ResolveAssembly(agentAssembly);

        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var directory = PeerDirectory.Create("upsagent-peer-");
            var port = FreeTcpPort.Next();
            var serveNut = setup.Ups.Count > 0;
            var config = PeerDirectory.WriteFile(directory, "upsagent.conf",
                Configuration(directory, serveNut ? port : null, setup) + (extraConfig is null ? "" : "\n" + extraConfig + "\n"), ownerOnly: true);
            var agent = PeerProcess.Start("upsagent", DotnetHost,
                [assembly, "run", "--config", config, "--control-socket", Path.Combine(directory, "ctl.sock")],
                workingDirectory: directory);
            var problem = serveNut
                ? await NutReadiness.WaitAsync(port, setup.Ups.Select(u => u.Name), agent).ConfigureAwait(false)
                : await WaitForControlSocketAsync(Path.Combine(directory, "ctl.sock"), agent).ConfigureAwait(false);
            var peer = new UpsAgentPeer(directory, port, agent);
            if (problem is null)
            {
                return peer;
            }
            var log = peer.Log;
            await peer.DisposeAsync().ConfigureAwait(false);
            failures.AppendLine($"attempt {attempt} on port {port}: {problem}").AppendLine(log);
            if (!NutReadiness.LostPortRace(log))
            {
                break;
            }
        }
        throw new InvalidOperationException($"upsagent did not come up:\n{failures}");
    }

    /// <summary>Runs <c>upsagent repl -c LINE</c> against this agent's control socket.</summary>
    public Task<ToolResult> ReplAsync(string line, string? agentAssembly = null) =>
        RunCommandAsync(["repl", "--control-socket", ControlSocket, "-c", line], TimeSpan.FromSeconds(20), agentAssembly);

    /// <summary>Runs one upsagent command line (<c>check</c>, <c>run</c>, <c>shutdown plan</c>...) to completion.</summary>
    public static Task<ToolResult> RunCommandAsync(IReadOnlyList<string> arguments, TimeSpan timeout, string? agentAssembly = null) =>
        NutTool.RunProgramAsync(DotnetHost, "upsagent", [ResolveAssembly(agentAssembly), .. arguments], timeout);

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _agent.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _agent.DisposeAsync().ConfigureAwait(false);
        PeerDirectory.TryDelete(Directory);
    }

    public override string ToString() => $"upsagent on {((INutServerPeer)this).HostPort}";

    /// <summary>`dotnet test` and `dotnet run` say which host runs them; fall back to the one on PATH.</summary>
    private static string DotnetHost =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string ResolveAssembly(string? agentAssembly)
    {
        var assembly = Path.GetFullPath(agentAssembly ?? DefaultAssembly);
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("upsagent.dll not found; build src/UpsAgent first", assembly);
    }

    private static async Task<string?> WaitForControlSocketAsync(string path, PeerProcess agent)
    {
        var deadline = DateTime.UtcNow + NutReadiness.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (agent.HasExited)
            {
                return $"{agent.Label} exited with code {agent.ExitCode}";
            }
            if (File.Exists(path))
            {
                return null;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        return $"no control socket {path} after {NutReadiness.Timeout.TotalSeconds} s";
    }

    private static string Configuration(string directory, int? port, NutSetup setup)
    {
        var config = new StringBuilder()
            .AppendLine("[nut]")
            .AppendLine(port is null ? "listen = none" : $"listen = 127.0.0.1:{port}");
        foreach (var ups in setup.Ups)
        {
            config.AppendLine()
                .AppendLine($"[ups {ups.Name}]")
                .AppendLine("driver = simulated")
                .AppendLine($"description = \"{ups.Description}\"")
                .AppendLine($"file = {PeerDirectory.CopyDevice(directory, ups)}")
                .AppendLine($"mode = {(ups.Mode == DevicePlayMode.Once ? "once" : "loop")}");
        }
        foreach (var user in setup.Users)
        {
            config.AppendLine().AppendLine($"[user {user.Name}]").AppendLine($"password = \"{user.Password}\"");
            if (user.Actions.Count > 0)
            {
                config.AppendLine($"actions = {string.Join(' ', user.Actions)}");
            }
            if (user.InstCmds.Count > 0)
            {
                config.AppendLine($"instcmds = {string.Join(' ', user.InstCmds)}");
            }
            if (user.Upsmon != UpsmonRole.None)
            {
                config.AppendLine($"upsmon = {(user.Upsmon == UpsmonRole.Primary ? "primary" : "secondary")}");
            }
        }
        return config.ToString();
    }
}
