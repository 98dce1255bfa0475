using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using UpsAgent.TestKit.Peers;

namespace UpsAgent.Interop.Tests;

/// <summary>
/// NUT's upsc (libupsclient with NSS, Debian's build) starts TLS with upsagent when the agent has a
/// certificate, and reads it as before; without one it carries on in the clear.
/// </summary>
[TestClass]
[TestCategory("Interop")]
public sealed class UpscTlsTests
{
    [TestMethod]
    public async Task upsc_reads_the_agent_over_tls_when_the_agent_has_a_certificate()
    {
        string dir = Directory.CreateTempSubdirectory("upsagent-tls").FullName;
        try
        {
            (string certificate, string key) = WriteSelfSigned(dir);
            await using var server = await UpsAgentPeer.StartWithConfigAsync(InteropSetup.For(InteropSetup.OnlineDevice), $"[nut]\ncertificate = {certificate}\nkey = {key}");

            var status = await NutTool.RunAsync("upsc", ((INutServerPeer)server).Target(InteropSetup.UpsName), "ups.status");

            Assert.AreEqual(0, status.ExitCode, $"{status}\n{server.Log}");
            Assert.AreEqual("OL\n", status.StdOut, status.ToString());
            StringAssert.Contains(status.StdErr, "SSL handshake done successfully", status.ToString());
            StringAssert.Contains(status.StdErr, "in SSL", status.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public async Task upsc_reads_the_agent_in_the_clear_when_the_agent_has_no_certificate()
    {
        await using var server = await InteropSetup.StartAsync(NutServerKind.UpsAgent);

        var status = await NutTool.RunAsync("upsc", server.Target(InteropSetup.UpsName), "ups.status");

        Assert.AreEqual(0, status.ExitCode, $"{status}\n{server.Log}");
        Assert.AreEqual("OL\n", status.StdOut, status.ToString());
        Assert.DoesNotContain("in SSL", status.StdErr, status.ToString());
    }

    private static (string Certificate, string Key) WriteSelfSigned(string dir)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        string certificatePath = Path.Combine(dir, "cert.pem");
        string keyPath = Path.Combine(dir, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
