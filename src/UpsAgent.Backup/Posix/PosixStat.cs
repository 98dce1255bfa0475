namespace UpsAgent.Backup.Posix;

/// <summary>What statx reports about one path, links not followed; times in Unix seconds; AllocatedBytes = st_blocks × 512.</summary>
public readonly record struct PosixStat(
    uint Mode, uint Uid, uint Gid, uint NLink, long SizeBytes, long AccessTime, long ChangeTime, long ModifyTime, uint RdevMajor, uint RdevMinor, long AllocatedBytes = 0);
