using System.Globalization;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Parity;

namespace UpsAgent.Benchmarks;

/// <summary>Options of mode "raid".</summary>
public sealed class RaidBenchOptions
{
    public const string Usage =
        "usage: raid [--parity-only | --array-only] [--seconds S] [--buffers 1,64] [--sources 2,3,4,8] [--paths Scalar,Vector256,Vector512]\n" +
        "            [--member-mib N] [--chunk-kib N] [--io-kib N] [--random-kib N] [--random-ops N] [--dir /dev/shm]\n" +
        "            [--window-kib N (rebuild window per member)] [--rebuild-rounds N] [--disk-mbs N (0: no disk-paced rows)]\n" +
        "            [--levels 1,5,6,10 (which of the arrays)]";

    public bool Parity { get; private set; } = true;

    public bool Array { get; private set; } = true;

    public double Seconds { get; private set; } = 0.3;

    public IReadOnlyList<int> BufferMib { get; private set; } = [1, 64];

    public IReadOnlyList<int> Sources { get; private set; } = [2, 3, 4, 8];

    public IReadOnlyList<ParityPath> Paths { get; private set; } = [ParityPath.Scalar, ParityPath.Vector256, ParityPath.Vector512];

    public int MemberMib { get; private set; } = 256;

    public int ChunkKib { get; private set; } = 512;

    public int IoKib { get; private set; } = 4096;

    public int RandomKib { get; private set; } = 4;

    public int RandomOps { get; private set; } = 50_000;

    public string Directory { get; private set; } = "/dev/shm";

    /// <summary>The engine's rebuild window per member; 0 keeps its default.</summary>
    public int WindowKib { get; private set; }

    public int RebuildRounds { get; private set; } = 2;

    /// <summary>Speed of the disk-paced members (MB/s); 0 leaves those rows out.</summary>
    public int DiskMbs { get; private set; } = 200;

    public IReadOnlyList<(RaidLevel Level, int Disks)> Arrays { get; private set; } = [(RaidLevel.Raid1, 2), (RaidLevel.Raid5, 4), (RaidLevel.Raid6, 5), (RaidLevel.Raid10, 4)];

    public static RaidBenchOptions? Parse(string[] args, out string error)
    {
        var o = new RaidBenchOptions();
        error = string.Empty;
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{a} needs a value");
            try
            {
                switch (a)
                {
                    case "--parity-only": o.Array = false; break;
                    case "--array-only": o.Parity = false; break;
                    case "--seconds": o.Seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--buffers": o.BufferMib = Ints(Next()); break;
                    case "--sources": o.Sources = Ints(Next()); break;
                    case "--paths": o.Paths = [.. Next().Split(',').Select(Enum.Parse<ParityPath>)]; break;
                    case "--member-mib": o.MemberMib = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--chunk-kib": o.ChunkKib = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--io-kib": o.IoKib = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--random-kib": o.RandomKib = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--random-ops": o.RandomOps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--dir": o.Directory = Next(); break;
                    case "--window-kib": o.WindowKib = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--disk-mbs": o.DiskMbs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--rebuild-rounds": o.RebuildRounds = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                    case "--levels":
                        int[] levels = Ints(Next());
                        o.Arrays = [.. o.Arrays.Where(a => levels.Contains((int)a.Level))];
                        if (o.Arrays.Count == 0)
                        {
                            throw new FormatException("no array of those levels (1, 5, 6, 10)");
                        }

                        break;
                    default: error = $"unknown option {a}"; return null;
                }
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                error = $"{a}: {e.Message}";
                return null;
            }
        }

        return o;
    }

    private static int[] Ints(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
