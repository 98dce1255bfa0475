using System.Text;

namespace UpsAgent.Backup.Iso9660.RockRidge;

/// <summary>
/// SUSP (IEEE P1281) and RRIP 1.10 (IEEE P1282, "RRIP_1991A") entries as bytes. Every entry is
/// sig(2) len(1) ver(1) data; entries never exceed 255 bytes, so NM and SL are split with CONTINUE flags.
/// </summary>
public static class SystemUseEntries
{
    public const int ContinuationEntryBytes = 28;
    private const int MaxPayload = 250;

    public static readonly string ErIdentifier = "RRIP_1991A";
    public static readonly string ErDescriptor = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    public static readonly string ErSource = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    /// <summary>SUSP 5.3: first entry of the root "." record; check bytes BE EF, LEN_SKP 0.</summary>
    public static byte[] Sp() => [(byte)'S', (byte)'P', 7, 1, 0xBE, 0xEF, 0];

    /// <summary>SUSP 5.5: names the extension; Linux prefers Rock Ridge over Joliet only when it sees one.</summary>
    public static byte[] Er()
    {
        byte[] id = Encoding.ASCII.GetBytes(ErIdentifier);
        byte[] des = Encoding.ASCII.GetBytes(ErDescriptor);
        byte[] src = Encoding.ASCII.GetBytes(ErSource);
        byte[] e = new byte[8 + id.Length + des.Length + src.Length];
        Header(e, "ER");
        e[4] = (byte)id.Length;
        e[5] = (byte)des.Length;
        e[6] = (byte)src.Length;
        e[7] = 1;
        id.CopyTo(e, 8);
        des.CopyTo(e, 8 + id.Length);
        src.CopyTo(e, 8 + id.Length + des.Length);
        return e;
    }

    /// <summary>SUSP 5.1, written when the continuation area's place is known.</summary>
    public static void WriteCe(Span<byte> entry, uint lba, uint offset, uint length)
    {
        entry[0] = (byte)'C';
        entry[1] = (byte)'E';
        entry[2] = ContinuationEntryBytes;
        entry[3] = 1;
        IsoFields.Write733(entry[4..], lba);
        IsoFields.Write733(entry[12..], offset);
        IsoFields.Write733(entry[20..], length);
    }

    /// <summary>RRIP 4.1.1, the 36-byte 1.10 form: mode, links, uid, gid.</summary>
    public static byte[] Px(uint mode, uint links, uint uid, uint gid)
    {
        byte[] e = new byte[36];
        Header(e, "PX");
        IsoFields.Write733(e.AsSpan(4), mode);
        IsoFields.Write733(e.AsSpan(12), links);
        IsoFields.Write733(e.AsSpan(20), uid);
        IsoFields.Write733(e.AsSpan(28), gid);
        return e;
    }

    /// <summary>RRIP 4.1.2: the 64-bit dev_t in a high and a low half (not major and minor).</summary>
    public static byte[] Pn(uint major, uint minor)
    {
        ulong dev = Posix.DeviceNumber.Make(major, minor);
        byte[] e = new byte[20];
        Header(e, "PN");
        IsoFields.Write733(e.AsSpan(4), (uint)(dev >> 32));
        IsoFields.Write733(e.AsSpan(12), (uint)dev);
        return e;
    }

    /// <summary>RRIP 4.1.6, short form: flags 0x0E = MODIFY, ACCESS, ATTRIBUTES in bit order.</summary>
    public static byte[] Tf(long modify, long access, long change)
    {
        byte[] e = new byte[5 + (3 * 7)];
        Header(e, "TF");
        e[4] = 0x0E;
        IsoFields.WriteShortDate(e.AsSpan(5), modify);
        IsoFields.WriteShortDate(e.AsSpan(12), access);
        IsoFields.WriteShortDate(e.AsSpan(19), change);
        return e;
    }

    /// <summary>RRIP 4.1.4 alternate name in UTF-8, split into CONTINUE-flagged pieces of at most 250 bytes.</summary>
    public static List<byte[]> Nm(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        var entries = new List<byte[]>();
        int at = 0;
        do
        {
            int n = Math.Min(MaxPayload, bytes.Length - at);
            byte[] e = new byte[5 + n];
            Header(e, "NM");
            e[4] = (byte)(at + n < bytes.Length ? 1 : 0);
            bytes.AsSpan(at, n).CopyTo(e.AsSpan(5));
            entries.Add(e);
            at += n;
        }
        while (at < bytes.Length);
        return entries;
    }

    /// <summary>RRIP 4.1.3 symbolic link: components (ROOT, CURRENT, PARENT or bytes), split over entries as needed.</summary>
    public static List<byte[]> Sl(string target)
    {
        var components = new List<(byte Flags, byte[] Bytes)>();
        if (target.StartsWith('/'))
        {
            components.Add((0x08, []));
        }

        foreach (string part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                components.Add((0x02, []));
            }
            else if (part == "..")
            {
                components.Add((0x04, []));
            }
            else
            {
                byte[] b = Encoding.UTF8.GetBytes(part);
                for (int at = 0; at < b.Length; at += 200)
                {
                    int n = Math.Min(200, b.Length - at);
                    components.Add(((byte)(at + n < b.Length ? 1 : 0), b[at..(at + n)]));
                }
            }
        }

        if (components.Count == 0)
        {
            components.Add((0x02, []));
        }

        var entries = new List<byte[]>();
        var current = new List<byte>();
        foreach ((byte flags, byte[] bytes) in components)
        {
            if (current.Count + 2 + bytes.Length > MaxPayload - 1)
            {
                entries.Add(SlEntry(current, more: true));
                current.Clear();
            }

            current.Add(flags);
            current.Add((byte)bytes.Length);
            current.AddRange(bytes);
        }

        entries.Add(SlEntry(current, more: false));
        return entries;
    }

    private static byte[] SlEntry(List<byte> components, bool more)
    {
        byte[] e = new byte[5 + components.Count];
        Header(e, "SL");
        e[4] = (byte)(more ? 1 : 0);
        components.CopyTo(e, 5);
        return e;
    }

    private static void Header(byte[] e, string sig)
    {
        e[0] = (byte)sig[0];
        e[1] = (byte)sig[1];
        e[2] = (byte)e.Length;
        e[3] = 1;
    }
}
