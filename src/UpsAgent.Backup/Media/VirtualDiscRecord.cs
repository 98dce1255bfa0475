using System.Globalization;
using System.Text;
using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Media;

/// <summary>
/// The sidecar "IMAGE.medium" of a virtual disc: what a real disc knows about itself and an image file does
/// not: its type and capacity, whether it can be blanked, and whether it was closed.
/// <code>
/// upsagent-medium 1
/// type dvd
/// capacity-blocks 2295104
/// rewritable yes
/// closed no
/// </code>
/// Blank or written is not recorded: it is read from the image itself (a volume descriptor at block 16).
/// </summary>
public sealed record VirtualDiscRecord(string Type, long CapacityBlocks, bool Rewritable, bool Closed)
{
    private const string Magic = "upsagent-medium 1";

    public static string PathFor(string image) => image + ".medium";

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{Magic}\ntype {Type}\ncapacity-blocks {CapacityBlocks}\nrewritable {(Rewritable ? "yes" : "no")}\nclosed {(Closed ? "yes" : "no")}\n"));

    public static VirtualDiscRecord Parse(string text, string where)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Magic)
        {
            throw new ManifestFormatException($"{where}: first line is not '{Magic}'");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(1))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                throw new ManifestFormatException($"{where}: '{line}' is not 'key value'");
            }

            values[line[..space]] = line[(space + 1)..];
        }

        string Get(string key) => values.TryGetValue(key, out string? v) ? v : throw new ManifestFormatException($"{where}: no '{key}' line");
        bool YesNo(string key) => Get(key) switch
        {
            "yes" => true,
            "no" => false,
            string v => throw new ManifestFormatException($"{where}: {key} '{v}' is not yes or no"),
        };

        if (!long.TryParse(Get("capacity-blocks"), NumberStyles.None, CultureInfo.InvariantCulture, out long capacity) || capacity < 32)
        {
            throw new ManifestFormatException($"{where}: capacity-blocks '{Get("capacity-blocks")}' is not a number of at least 32");
        }

        return new VirtualDiscRecord(Get("type"), capacity, YesNo("rewritable"), YesNo("closed"));
    }
}
