namespace UpsAgent.Raid.Storage;

/// <summary>One member read into part of a caller's buffer: what <see cref="ConcurrentBlockReads"/> carries out.</summary>
public readonly record struct BlockRead(IBlockDevice Device, long Offset, byte[] Buffer, int BufferOffset, int Length);
