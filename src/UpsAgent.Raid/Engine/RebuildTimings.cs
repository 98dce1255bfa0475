namespace UpsAgent.Raid.Engine;

/// <summary>
/// Where a rebuild pass spent its time: reading the other members (all at once), computing the lost
/// blocks, and waiting for the previous window's write to the recovering member (which otherwise runs
/// while the next window is read). The rest of <see cref="Elapsed"/> is pacing and bookkeeping. Windows
/// copied inside the kernel (<see cref="RaidArray.RebuildKernelCopy"/>, read and write in one call) count
/// as reading; <see cref="KernelCopiedBytes"/> says how many member bytes went that way.
/// </summary>
public sealed record RebuildTimings(TimeSpan Reading, TimeSpan Computing, TimeSpan WaitingForWrite, TimeSpan Elapsed, long KernelCopiedBytes = 0);
