namespace UpsAgent.TestKit.Peers;

/// <summary>
/// Where Debian's NUT 2.8.0 packages put the programs. The /sbin and /usr/sbin entries of upsd and upsmon
/// are wrappers that refuse to run while /etc/nut/nut.conf says MODE=none, so the daemons come from /lib/nut.
/// </summary>
public static class NutPaths
{
    public const string Upsd = "/lib/nut/upsd";
    public const string DummyUps = "/lib/nut/dummy-ups";
    public const string Upsmon = "/lib/nut/upsmon";

    public static string Client(string tool) => Path.Combine("/bin", tool);

    /// <summary>True when the daemons and clients the interop tests drive are installed.</summary>
    public static bool Installed =>
        File.Exists(Upsd) && File.Exists(DummyUps) && File.Exists(Upsmon) && File.Exists(Client("upsc"));
}
