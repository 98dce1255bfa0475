using System.Security.Cryptography.X509Certificates;

namespace UpsAgent.Servers.Tests.Nut;

[TestClass]
public sealed class NutStartTlsTests
{
    [TestMethod]
    public async Task Starttls_without_a_certificate_answers_feature_not_configured_and_stays_plain()
    {
        await using var bed = new NutTestBed();
        await using var client = bed.Connect();
        Assert.AreEqual("ERR FEATURE-NOT-CONFIGURED", await client.RequestAsync("STARTTLS"));
        Assert.AreEqual("1.3", await client.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task Starttls_with_a_certificate_switches_the_session_to_tls()
    {
        using X509Certificate2 certificate = TestCertificates.CreateSelfSigned();
        await using var bed = new NutTestBed(o => new() { Certificate = certificate });
        await using var client = bed.Connect();
        Assert.AreEqual("OK STARTTLS", await client.RequestAsync("STARTTLS"));
        await client.UpgradeToTlsAsync("localhost");
        Assert.AreEqual(certificate.Thumbprint, new X509Certificate2(client.Tls!.RemoteCertificate!).Thumbprint);
        Assert.AreEqual("VAR static ups.status \"OL CHRG\"", await client.RequestAsync("GET VAR static ups.status"));
        Assert.AreEqual("ERR ALREADY-SSL-MODE", await client.RequestAsync("STARTTLS"));
        Assert.IsTrue(bed.Server.GetStatus().Clients[0].IsTls);
        Assert.AreEqual("OK Goodbye", await client.RequestAsync("LOGOUT"));
        Assert.IsNull(await client.ReadLineAsync());
    }

    [TestMethod]
    public async Task A_failed_handshake_closes_only_that_session()
    {
        using X509Certificate2 certificate = TestCertificates.CreateSelfSigned();
        await using var bed = new NutTestBed(o => new() { Certificate = certificate });
        await using var client = bed.Connect(out Task session);
        Assert.AreEqual("OK STARTTLS", await client.RequestAsync("STARTTLS"));
        await client.SendAsync("this is not a TLS client hello\n");
        await session.WaitAsync(TimeSpan.FromSeconds(10));
        await using var other = bed.Connect();
        Assert.AreEqual("1.3", await other.RequestAsync("NETVER"));
    }

    [TestMethod]
    public async Task A_client_that_never_starts_the_handshake_is_dropped_by_the_idle_timeout()
    {
        using X509Certificate2 certificate = TestCertificates.CreateSelfSigned();
        await using var bed = new NutTestBed(o => new() { Certificate = certificate });
        await using var client = bed.Connect(out Task session);
        Assert.AreEqual("OK STARTTLS", await client.RequestAsync("STARTTLS"));
        await NutTestBed.EventuallyAsync(() => bed.Server.GetStatus().Clients.Count == 1 && bed.Clock.PendingDelays == 1, "the session waits for the handshake");
        bed.Clock.Advance(TimeSpan.FromSeconds(61));
        await session.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.AreEqual(0, bed.Server.GetStatus().OpenConnections);
    }
}
