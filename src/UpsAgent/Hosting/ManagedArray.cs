using Microsoft.Extensions.Logging;
using UpsAgent.Configuration;
using UpsAgent.Raid.Engine;
using UpsAgent.Raid.Geometry;
using UpsAgent.Raid.Storage;

namespace UpsAgent.Hosting;

/// <summary>
/// One configured array in the running agent: assembled from its [array NAME] section, or the reason
/// it was refused; at most one background pass (resync, recovery, check, repair) at a time.
/// </summary>
public sealed class ManagedArray
{
    private readonly object _gate = new();
    private CancellationTokenSource? _passStop;
    private Task _pass = Task.CompletedTask;

    public ManagedArray(ArrayConfig config)
    {
        Config = config;
    }

    public ArrayConfig Config { get; }

    public string Name => Config.Name;

    public RaidArray? Array { get; private set; }

    /// <summary>Why the array is not running; null when it is.</summary>
    public string? Error { get; private set; } = "not started: only the running agent (upsagent run) assembles arrays";

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>The outcome of the last finished pass, e.g. "check: mismatch_cnt=0".</summary>
    public string? LastResult { get; private set; }

    public bool PassRunning
    {
        get { lock (_gate) { return !_pass.IsCompleted; } }
    }

    /// <summary>
    /// Assembles by UUID from the configured members, as mdadm --assemble does: members of another
    /// array, a wrong level or UUID refuse the array; stale or absent members leave it degraded.
    /// </summary>
    public void Assemble(TimeProvider time, ILogger logger)
    {
        var devices = new List<IBlockDevice?>();
        var warnings = new List<string>();
        try
        {
            foreach (string path in Config.Members)
            {
                if (path == "missing")
                {
                    devices.Add(null);
                }
                else if (!File.Exists(path) && !path.StartsWith("/dev/", StringComparison.Ordinal))
                {
                    warnings.Add($"{path}: no such file; assembling without it");
                    devices.Add(null);
                }
                else
                {
                    devices.Add(ImageFileDevice.Open(path, writable: true));
                }
            }

            AssembleResult result = ArrayAssembler.Assemble(devices, time);
            warnings.AddRange(result.Warnings);
            Warnings = warnings;
            if (result.Array is not { } array)
            {
                Refuse(string.Join("; ", result.Errors), logger);
                return;
            }

            devices.Clear();
            if (Config.Level is { } level && level != (int)array.Geometry.Level)
            {
                array.Dispose();
                Refuse($"the members hold a RAID{(int)array.Geometry.Level} array, the configuration says RAID{level}", logger);
                return;
            }

            if (Config.Uuid is { } uuid && uuid != array.Uuid.ToString())
            {
                array.Dispose();
                Refuse($"the members hold array {array.Uuid}, the configuration says {uuid}", logger);
                return;
            }

            array.Throttle.SetLimits(Config.SpeedMinKib, Config.SpeedMaxKib);
            Array = array;
            Error = null;
            foreach (string w in warnings)
            {
                logger.LogWarning("array {Array}: {Warning}", Name, w);
            }

            logger.LogInformation(
                "array {Array}: RAID{Level} {Uuid} assembled, {Present} of {Disks} members in sync",
                Name, (int)array.Geometry.Level, array.Uuid, array.Geometry.RaidDisks - array.DegradedCount, array.Geometry.RaidDisks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warnings = warnings;
            Refuse(e.Message, logger);
        }
        finally
        {
            foreach (IBlockDevice? d in devices)
            {
                d?.Dispose();
            }
        }
    }

    /// <summary>Starts what md would start by itself: a resync after an unclean stop, a recovery onto a replacement.</summary>
    public void StartPendingWork(ILogger logger)
    {
        if (Array is not { } array || array.IsFailed)
        {
            return;
        }

        if (array.NeedsResync && array.DegradedCount == 0)
        {
            StartPass("resync", (a, ct) => $"resync: {a.Resync(ct)} sectors made consistent", logger);
        }
        else if (array.Members.Any(m => m.State == MemberState.Recovering))
        {
            StartPass("recovery", (a, ct) => $"recovery: {a.Rebuild(null, ct)} member(s) rebuilt", logger);
        }
    }

    /// <summary>Runs <paramref name="work"/> in the background; false when another pass is running.</summary>
    public bool StartPass(string action, Func<RaidArray, CancellationToken, string> work, ILogger logger)
    {
        if (Array is not { } array)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_pass.IsCompleted)
            {
                return false;
            }

            var stop = new CancellationTokenSource();
            _passStop = stop;
            _pass = Task.Run(() =>
            {
                try
                {
                    LastResult = work(array, stop.Token);
                    logger.LogInformation("array {Array}: {Result}", Name, LastResult);
                }
                catch (OperationCanceledException)
                {
                    LastResult = $"{action}: stopped";
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ArrayFailedException)
                {
                    LastResult = $"{action}: failed: {e.Message}";
                    logger.LogError("array {Array}: {Result}", Name, LastResult);
                }
                finally
                {
                    stop.Dispose();
                }
            });
            return true;
        }
    }

    /// <summary>Stops the running pass at its next unit (a recovery checkpoints its offset) and waits for it.</summary>
    public async Task StopPassAsync()
    {
        Task pass;
        lock (_gate)
        {
            pass = _pass;
            if (!pass.IsCompleted)
            {
                try
                {
                    _passStop?.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The pass finished meanwhile.
                }
            }
        }

        Array?.Throttle.Resume();
        await pass.ConfigureAwait(false);
    }

    internal void Close()
    {
        RaidArray? array = Array;
        Array = null;
        array?.Dispose();
        Error ??= "stopped";
    }

    private void Refuse(string reason, ILogger logger)
    {
        Error = reason;
        logger.LogError("array {Array}: not assembled: {Reason}", Name, reason);
    }

    public static string Level(RaidArray array) => array.Geometry.Level switch
    {
        RaidLevel.Raid1 => "raid1",
        _ => $"raid{(int)array.Geometry.Level}",
    };
}
