using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using UpsAgent.Configuration;
using UpsAgent.Core.State;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Hosting;

[TestClass]
public sealed class AgentHostTests
{
    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private static async Task<string> AskAsync(Stream stream, string request)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request + "\n"));
        return await ReadLineAsync(stream);
    }

    [TestMethod]
    public async Task Starttls_uses_the_configured_pem_certificate()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-tls").FullName;
        using (RSA key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(dir, "cert.pem"), cert.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }

        AgentConfig config = AgentConfigLoader.Load(
            $"[agent]\ncontrol-socket = none\n[nut]\nlisten = 127.0.0.1:0\ncertificate = {dir}/cert.pem\nkey = {dir}/key.pem\n[ups ups]\n",
            "tls.conf");
        await using var host = new AgentHost(config, AgentHostMode.Agent, log: TextWriter.Null);
        await host.StartAsync(CancellationToken.None);
        await host.WaitForFirstDataAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        using var client = new TcpClient();
        await client.ConnectAsync(host.NutEndpoints[0]);
        NetworkStream plain = client.GetStream();
        Assert.AreEqual("OK STARTTLS", await AskAsync(plain, "STARTTLS"));
        await using var tls = new SslStream(plain, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        Assert.AreEqual("VAR ups ups.status \"OL CHRG\"", await AskAsync(tls, "GET VAR ups ups.status"));
        Assert.AreEqual("ERR ALREADY-SSL-MODE", await AskAsync(tls, "STARTTLS"));
    }

    [TestMethod]
    public void A_missing_certificate_is_a_configuration_error()
    {
        AgentConfig config = AgentConfigLoader.Load(
            "[agent]\ncontrol-socket = none\n[nut]\nlisten = 127.0.0.1:0\ncertificate = /nonexistent.pem\n[ups ups]\n", "tls.conf");
        var host = new AgentHost(config, AgentHostMode.Agent, log: TextWriter.Null);
        var e = Assert.ThrowsExactly<ConfigException>(() => host.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
        StringAssert.Contains(e.Message, "/nonexistent.pem");
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [TestMethod]
    public async Task Stopping_marks_every_ups_disconnected()
    {
        AgentConfig config = AgentConfigLoader.Load("[agent]\ncontrol-socket = none\n[nut]\nlisten = none\n[ups a]\n[ups b]\nfile = builtin:outage\n", "t.conf");
        var host = new AgentHost(config, AgentHostMode.Agent, log: TextWriter.Null);
        await host.StartAsync(CancellationToken.None);
        await host.WaitForFirstDataAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.IsTrue(host.Registry.All.All(u => u.Current.DataState == UpsDataState.Fresh));
        await host.DisposeAsync();
        Assert.IsTrue(host.Registry.All.All(u => u.Current.DataState == UpsDataState.NotConnected));
    }

    [TestMethod]
    public async Task The_repl_has_the_shutdown_plan_and_rehearsal()
    {
        AgentConfig config = AgentConfigLoader.Load("[agent]\ncontrol-socket = none\n[ups ups]\n[shutdown]\ncommand = /sbin/poweroff\n", "t.conf");
        await using var host = new AgentHost(config, AgentHostMode.InProcess, log: TextWriter.Null);
        var output = new StringWriter();
        Assert.AreEqual(0, await host.Shell.ExecuteAsync("shutdown plan", output, CancellationToken.None));
        StringAssert.Contains(output.ToString(), "run '/sbin/poweroff'");
        output = new StringWriter();
        Assert.AreEqual(0, await host.Shell.ExecuteAsync("shutdown simulate builtin:outage 20", output, CancellationToken.None), output.ToString());
        StringAssert.Contains(output.ToString(), "shutdown decided: LowBattery on ups");
        StringAssert.Contains(output.ToString(), "would run: /sbin/poweroff");
        Assert.AreEqual(1, await host.Shell.ExecuteAsync("shutdown simulate builtin:outage fast", new StringWriter(), CancellationToken.None));
    }
}
