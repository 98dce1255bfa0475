namespace UpsAgent.Backup.Posix;

/// <summary>
/// Linux dev_t as glibc encodes it (makedev/major/minor). RRIP PN carries this 64-bit value split into
/// high and low 32-bit halves, which is how libarchive, libisofs and mkisofs read and write it.
/// </summary>
public static class DeviceNumber
{
    public static ulong Make(uint major, uint minor) =>
        ((ulong)(major & 0xfffu) << 8) | ((ulong)(major & ~0xfffu) << 32) | (minor & 0xffu) | ((ulong)(minor & ~0xffu) << 12);

    public static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));

    public static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}
