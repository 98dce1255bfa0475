using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpsAgent.Configuration;
using UpsAgent.Core.State;
using UpsAgent.Drivers.Nut;
using UpsAgent.Hosting;

namespace UpsAgent.Tests.Hosting;

/// <summary>
/// STARTTLS from our NUT client (driver = nut, and [monitor] sections) as libupsclient does it: tried
/// by default, required on request, the certificate verified on request against a CA file.
/// </summary>
[TestClass]
public sealed class NutClientTlsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Tls_required_reads_a_server_with_a_certificate_over_tls()
    {
        using var files = new CertificateFiles("localhost");
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\ncertificate = {files.Certificate}\nkey = {files.Key}\n[ups ups]\n");
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", origin.NutEndpoints[0].Port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required }, TestContext.CancellationToken);

        Assert.IsTrue(client.IsTls);
        Assert.AreEqual(origin.Registry.Find("ups")!.Current.Find("ups.status")!.Value, await client.GetVariableAsync("ups", "ups.status", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task By_default_tls_is_tried_and_a_server_without_a_certificate_is_read_in_the_clear()
    {
        await using AgentHost origin = await StartAsync("[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n");
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", origin.NutEndpoints[0].Port, Timeout, NutTlsOptions.Default, TestContext.CancellationToken);

        Assert.IsFalse(client.IsTls);
        Assert.AreEqual("simulated", await client.GetVariableAsync("ups", "driver.name", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task By_default_tls_is_used_when_the_server_has_a_certificate()
    {
        using var files = new CertificateFiles("localhost");
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\ncertificate = {files.Certificate}\nkey = {files.Key}\n[ups ups]\n");
        await using NutClient client = await NutClient.ConnectAsync("127.0.0.1", origin.NutEndpoints[0].Port, Timeout, NutTlsOptions.Default, TestContext.CancellationToken);

        Assert.IsTrue(client.IsTls, "an unverified certificate is taken, as upsmon's CERTVERIFY 0 does");
    }

    [TestMethod]
    public async Task Tls_required_against_a_server_without_a_certificate_is_an_error_that_says_so_and_leaves_the_repeated_ups_without_data()
    {
        await using AgentHost origin = await StartAsync("[nut]\nlisten = 127.0.0.1:0\n[ups ups]\n");
        int port = origin.NutEndpoints[0].Port;
        var e = await Assert.ThrowsExactlyAsync<NutClientException>(() =>
            NutClient.ConnectAsync("127.0.0.1", port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required }, TestContext.CancellationToken));
        StringAssert.Contains(e.Message, "will not start TLS");
        StringAssert.Contains(e.Message, "ERR FEATURE-NOT-CONFIGURED");

        var host = new AgentHost(
            AgentConfigLoader.Load($"[agent]\ncontrol-socket = none\n[nut]\nlisten = none\n[ups far]\ndriver = nut\nport = ups@127.0.0.1:{port}\ntls = required\npollinterval = 0.1\n", "t.conf"),
            AgentHostMode.Agent, log: TextWriter.Null);
        await using (host)
        {
            await host.StartAsync(TestContext.CancellationToken);
            await host.WaitForFirstDataAsync(TimeSpan.FromMilliseconds(500), TestContext.CancellationToken);
            Assert.AreEqual(UpsDataState.Waiting, host.Registry.Find("far")!.Current.DataState, "no data in the clear when TLS is required");
            Assert.IsEmpty(host.Registry.Find("far")!.Current.Variables);
        }
    }

    [TestMethod]
    public async Task Verification_passes_with_the_servers_ca_and_fails_with_another_or_a_wrong_name()
    {
        using var files = new CertificateFiles("localhost");
        using var other = new CertificateFiles("localhost");
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\ncertificate = {files.Certificate}\nkey = {files.Key}\n[ups ups]\n");
        int port = origin.NutEndpoints[0].Port;
        CancellationToken ct = TestContext.CancellationToken;

        await using (NutClient trusted = await NutClient.ConnectAsync("localhost", port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required, Verify = true, CaFile = files.Certificate }, ct))
        {
            Assert.IsTrue(trusted.IsTls);
            Assert.AreEqual("simulated", await trusted.GetVariableAsync("ups", "driver.name", ct));
        }

        var untrusted = await Assert.ThrowsExactlyAsync<NutClientException>(() =>
            NutClient.ConnectAsync("localhost", port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required, Verify = true, CaFile = other.Certificate }, ct));
        StringAssert.StartsWith(untrusted.Message, "TLS with localhost:");

        // The certificate names localhost, not 127.0.0.1.
        var misnamed = await Assert.ThrowsExactlyAsync<NutClientException>(() =>
            NutClient.ConnectAsync("127.0.0.1", port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required, Verify = true, CaFile = files.Certificate }, ct));
        StringAssert.StartsWith(misnamed.Message, "TLS with 127.0.0.1:");

        // The server is still there for the next client.
        await using NutClient again = await NutClient.ConnectAsync("127.0.0.1", port, Timeout, NutTlsOptions.Default, ct);
        Assert.IsTrue(again.IsTls);
    }

    [TestMethod]
    public async Task A_ca_file_that_holds_no_certificate_is_a_clear_error_before_anything_is_sent()
    {
        using var files = new CertificateFiles("localhost");
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\ncertificate = {files.Certificate}\nkey = {files.Key}\n[ups ups]\n");
        var e = await Assert.ThrowsExactlyAsync<NutClientException>(() =>
            NutClient.ConnectAsync("localhost", origin.NutEndpoints[0].Port, Timeout, new NutTlsOptions { Mode = NutTlsMode.Required, Verify = true, CaFile = files.Key }, TestContext.CancellationToken));
        StringAssert.Contains(e.Message, "holds no PEM certificate");
    }

    [TestMethod]
    public async Task A_repeater_with_a_verified_tls_link_repeats_the_ups()
    {
        using var files = new CertificateFiles("localhost");
        await using AgentHost origin = await StartAsync($"[nut]\nlisten = 127.0.0.1:0\ncertificate = {files.Certificate}\nkey = {files.Key}\n[ups ups]\n");
        await using AgentHost repeater = await StartAsync(
            $"[nut]\nlisten = none\n[ups far]\ndriver = nut\nport = ups@localhost:{origin.NutEndpoints[0].Port}\ntls = required\ntls-verify = yes\ntls-ca = {files.Certificate}\npollinterval = 0.1\n");

        Assert.AreEqual(origin.Registry.Find("ups")!.Current.Find("ups.status")!.Value, repeater.Registry.Find("far")!.Current.Find("ups.status")!.Value);
    }

    private static async Task<AgentHost> StartAsync(string config)
    {
        var host = new AgentHost(AgentConfigLoader.Load("[agent]\ncontrol-socket = none\n" + config, "t.conf"), AgentHostMode.Agent, log: TextWriter.Null);
        try
        {
            await host.StartAsync(CancellationToken.None);
            await host.WaitForFirstDataAsync(Timeout, CancellationToken.None);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    // A self-signed server certificate for one DNS name, as PEM certificate and key files.
    private sealed class CertificateFiles : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("upsagent-tls").FullName;

        public CertificateFiles(string dnsName)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(dnsName);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            Certificate = Path.Combine(_dir, "cert.pem");
            Key = Path.Combine(_dir, "key.pem");
            File.WriteAllText(Certificate, certificate.ExportCertificatePem());
            File.WriteAllText(Key, key.ExportPkcs8PrivateKeyPem());
        }

        public string Certificate { get; }

        public string Key { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }
}
