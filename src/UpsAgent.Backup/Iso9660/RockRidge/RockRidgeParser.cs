using System.Text;

namespace UpsAgent.Backup.Iso9660.RockRidge;

/// <summary>Decodes the SUSP/RRIP entries of one directory record into an <see cref="IsoEntry"/>, following CE.</summary>
internal sealed class RockRidgeParser(IsoImage image, IsoEntry entry, string where)
{
    private readonly StringBuilder _name = new();
    private readonly StringBuilder _link = new();
    private bool _hasName;
    private bool _hasLink;
    private bool _linkNeedsSlash;

    public void Parse(ReadOnlySpan<byte> area)
    {
        (uint Lba, uint Offset, uint Length)? next = ParseArea(area);
        for (int hops = 0; next is { } ce; hops++)
        {
            if (hops >= IsoImage.MaxContinuationHops)
            {
                throw new IsoFormatException($"{where}: more than {IsoImage.MaxContinuationHops} chained SUSP CE areas");
            }

            next = ParseArea(image.ReadContinuation(ce.Lba, ce.Offset, ce.Length, where));
        }

        if (_hasName)
        {
            entry.Name = _name.ToString();
        }

        if (_hasLink)
        {
            entry.SymlinkTarget = _link.ToString();
        }
    }

    private (uint, uint, uint)? ParseArea(ReadOnlySpan<byte> area)
    {
        (uint, uint, uint)? ce = null;
        int at = 0;
        while (area.Length - at >= 4)
        {
            int len = area[at + 2];
            if (area[at] == 0 && area[at + 1] == 0)
            {
                break;
            }

            if (len < 4 || at + len > area.Length)
            {
                throw new IsoFormatException($"{where}: corrupt SUSP entry '{(char)area[at]}{(char)area[at + 1]}' of length {len} with {area.Length - at} bytes left");
            }

            ReadOnlySpan<byte> e = area.Slice(at, len);
            at += len;
            string sig = $"{(char)e[0]}{(char)e[1]}";
            switch (sig)
            {
                case "ST":
                    return ce;
                case "CE" when len >= 28:
                    if (!IsoFields.TryRead733(e[4..], out uint lba) || !IsoFields.TryRead733(e[12..], out uint offset) || !IsoFields.TryRead733(e[20..], out uint length))
                    {
                        throw new IsoFormatException($"{where}: corrupt SUSP CE entry");
                    }

                    ce = (lba, offset, length);
                    break;
                case "PX" when len >= 36:
                    IsoFields.TryRead733(e[4..], out uint mode);
                    IsoFields.TryRead733(e[12..], out uint links);
                    IsoFields.TryRead733(e[20..], out uint uid);
                    IsoFields.TryRead733(e[28..], out uint gid);
                    entry.Mode = mode;
                    entry.Links = links;
                    entry.Uid = uid;
                    entry.Gid = gid;
                    entry.HasRockRidge = true;
                    if (entry.Kind != SourceKind.Directory)
                    {
                        entry.Kind = SourceNode.KindOf(mode);
                    }

                    break;
                case "PN" when len >= 20:
                    IsoFields.TryRead733(e[4..], out uint high);
                    IsoFields.TryRead733(e[12..], out uint low);
                    ulong dev = ((ulong)high << 32) | low;
                    entry.DeviceMajor = Posix.DeviceNumber.Major(dev);
                    entry.DeviceMinor = Posix.DeviceNumber.Minor(dev);
                    break;
                case "TF" when len >= 5:
                    ParseTf(e);
                    break;
                case "NM" when len >= 5:
                    if ((e[4] & 0x06) == 0)
                    {
                        _name.Append(Encoding.UTF8.GetString(e[5..]));
                        _hasName = true;
                    }

                    break;
                case "SL" when len >= 5:
                    ParseSl(e[5..]);
                    break;
                case "RE":
                    entry.Relocated = true;
                    break;
                default:
                    break;
            }
        }

        return ce;
    }

    private void ParseTf(ReadOnlySpan<byte> e)
    {
        byte flags = e[4];
        int size = (flags & 0x80) != 0 ? 17 : 7;
        int at = 5;
        for (int bit = 0; bit < 7; bit++)
        {
            if ((flags & (1 << bit)) == 0)
            {
                continue;
            }

            if (at + size > e.Length)
            {
                throw new IsoFormatException($"{where}: TF entry too short for its flags 0x{flags:x2}");
            }

            long t = size == 7 ? IsoFields.ReadShortDate(e.Slice(at, 7)) : ReadLongDate(e.Slice(at, 17));
            switch (bit)
            {
                case 1:
                    entry.ModifyTime = t;
                    break;
                case 2:
                    entry.AccessTime = t;
                    break;
                case 3:
                    entry.ChangeTime = t;
                    break;
                default:
                    break;
            }

            at += size;
        }
    }

    private static long ReadLongDate(ReadOnlySpan<byte> f)
    {
        string digits = Encoding.ASCII.GetString(f[..14]);
        if (!DateTime.TryParseExact(digits, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out DateTime t))
        {
            return 0;
        }

        return new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeSeconds() - ((sbyte)f[16] * 15L * 60L);
    }

    private void ParseSl(ReadOnlySpan<byte> components)
    {
        _hasLink = true;
        int at = 0;
        while (at + 2 <= components.Length)
        {
            byte flags = components[at];
            int len = components[at + 1];
            if (at + 2 + len > components.Length)
            {
                throw new IsoFormatException($"{where}: corrupt SL component of length {len}");
            }

            ReadOnlySpan<byte> bytes = components.Slice(at + 2, len);
            at += 2 + len;
            if ((flags & 0x08) != 0)
            {
                _link.Clear();
                _link.Append('/');
                _linkNeedsSlash = false;
                continue;
            }

            if (_linkNeedsSlash)
            {
                _link.Append('/');
            }

            _link.Append((flags & 0x02) != 0 ? "." : (flags & 0x04) != 0 ? ".." : Encoding.UTF8.GetString(bytes));
            _linkNeedsSlash = (flags & 0x01) == 0;
        }
    }
}
