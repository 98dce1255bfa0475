namespace UpsAgent.Raid.Parity;

/// <summary>
/// GF(2^8) with md's RAID6 polynomial x^8+x^4+x^3+x^2+1 (0x11d) and generator {02}
/// (H. P. Anvin, "The mathematics of RAID-6"; spec raid.md §2). Not the AES field.
/// </summary>
public static class Gf256
{
    public const int Polynomial = 0x11d;

    // Immutable lookup tables, filled once.
    private static readonly byte[] s_exp = BuildExp();
    private static readonly byte[] s_log = BuildLog(s_exp);

    public static byte MultiplyBy2(byte x) => (byte)((x << 1) ^ ((x & 0x80) != 0 ? 0x1d : 0));

    public static byte Multiply(byte a, byte b) =>
        a == 0 || b == 0 ? (byte)0 : s_exp[s_log[a] + s_log[b]];

    public static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("{00} has no inverse in GF(2^8)");
        }

        return s_exp[255 - s_log[a]];
    }

    /// <summary>g^power for any integer power (negative powers give inverses).</summary>
    public static byte Power(int power) => s_exp[((power % 255) + 255) % 255];

    public static int Log(byte a) => a == 0
        ? throw new ArgumentOutOfRangeException(nameof(a), "log {00} is undefined")
        : s_log[a];

    private static byte[] BuildExp()
    {
        byte[] exp = new byte[512];
        byte x = 1;
        for (int i = 0; i < 255; i++)
        {
            exp[i] = x;
            x = MultiplyBy2(x);
        }

        for (int i = 255; i < 512; i++)
        {
            exp[i] = exp[i - 255];
        }

        return exp;
    }

    private static byte[] BuildLog(byte[] exp)
    {
        byte[] log = new byte[256];
        for (int i = 0; i < 255; i++)
        {
            log[exp[i]] = (byte)i;
        }

        return log;
    }
}
