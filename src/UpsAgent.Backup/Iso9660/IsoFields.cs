using System.Buffers.Binary;
using System.Text;

namespace UpsAgent.Backup.Iso9660;

/// <summary>ECMA-119 §7 number, date and character field encodings, named after their section numbers.</summary>
public static class IsoFields
{
    public const int BlockBytes = 2048;

    /// <summary>§7.2.3: 16-bit both-endian (LE copy then BE copy).</summary>
    public static void Write723(Span<byte> field, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(field, value);
        BinaryPrimitives.WriteUInt16BigEndian(field[2..], value);
    }

    /// <summary>§7.3.3: 32-bit both-endian (LE copy then BE copy).</summary>
    public static void Write733(Span<byte> field, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(field, value);
        BinaryPrimitives.WriteUInt32BigEndian(field[4..], value);
    }

    /// <summary>Reads the LE half of a §7.3.3 field; the BE half must agree or the field is corrupt.</summary>
    public static bool TryRead733(ReadOnlySpan<byte> field, out uint value)
    {
        value = BinaryPrimitives.ReadUInt32LittleEndian(field);
        return value == BinaryPrimitives.ReadUInt32BigEndian(field[4..]);
    }

    public static bool TryRead723(ReadOnlySpan<byte> field, out ushort value)
    {
        value = BinaryPrimitives.ReadUInt16LittleEndian(field);
        return value == BinaryPrimitives.ReadUInt16BigEndian(field[2..]);
    }

    /// <summary>§9.1.5 seven-byte recording date, always UTC (offset 0) so images are reproducible.</summary>
    public static void WriteShortDate(Span<byte> field, long unixSeconds)
    {
        DateTime t = FromUnix(unixSeconds);
        field[0] = (byte)(t.Year - 1900);
        field[1] = (byte)t.Month;
        field[2] = (byte)t.Day;
        field[3] = (byte)t.Hour;
        field[4] = (byte)t.Minute;
        field[5] = (byte)t.Second;
        field[6] = 0;
    }

    public static long ReadShortDate(ReadOnlySpan<byte> field)
    {
        if (field[1] is < 1 or > 12 || field[2] < 1 || field[2] > DateTime.DaysInMonth(1900 + field[0], field[1]) || field[3] > 23 || field[4] > 59 || field[5] > 60)
        {
            return 0;
        }

        var t = new DateTime(1900 + field[0], field[1], field[2], field[3], field[4], Math.Min((int)field[5], 59), DateTimeKind.Utc);
        long seconds = new DateTimeOffset(t).ToUnixTimeSeconds();
        return seconds - ((sbyte)field[6] * 15L * 60L);
    }

    /// <summary>§8.4.26.1 seventeen-byte date: 16 digits then the GMT offset (0 = UTC).</summary>
    public static void WriteLongDate(Span<byte> field, long? unixSeconds)
    {
        string digits = unixSeconds is long s ? FromUnix(s).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "00" : "0000000000000000";
        Encoding.ASCII.GetBytes(digits, field);
        field[16] = 0;
    }

    /// <summary>Reads a §8.4.26.1 date; "not specified" and anything that is not a valid date give 0.</summary>
    public static long ReadLongDate(ReadOnlySpan<byte> field)
    {
        string digits = Encoding.ASCII.GetString(field[..14]);
        if (!DateTime.TryParseExact(digits, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out DateTime t))
        {
            return 0;
        }

        return new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds() - ((sbyte)field[16] * 15L * 60L);
    }

    /// <summary>Left-justified a- or d-character field padded with spaces (§7.4).</summary>
    public static void WriteText(Span<byte> field, string text)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length)), field);
    }

    /// <summary>Joliet identifier fields: UCS-2 big-endian padded with UCS-2 spaces; an odd last byte is 0x20.</summary>
    public static void WriteUcs2Text(Span<byte> field, string text)
    {
        field.Fill(0);
        for (int i = 0; i + 1 < field.Length; i += 2)
        {
            char c = i / 2 < text.Length ? text[i / 2] : ' ';
            BinaryPrimitives.WriteUInt16BigEndian(field[i..], c);
        }

        if (field.Length % 2 == 1)
        {
            field[^1] = (byte)' ';
        }
    }

    public static DateTime FromUnix(long unixSeconds)
    {
        // One byte of years since 1900 bounds what a directory record can say.
        long min = -2208988800L; // 1900-01-01
        long max = 5964969599L; // 2158-12-31 23:59:59, clamped below to 2155
        long clamped = Math.Clamp(unixSeconds, min, max);
        DateTime t = DateTimeOffset.FromUnixTimeSeconds(clamped).UtcDateTime;
        return t.Year > 2155 ? new DateTime(2155, 12, 31, 23, 59, 59, DateTimeKind.Utc) : t;
    }
}
