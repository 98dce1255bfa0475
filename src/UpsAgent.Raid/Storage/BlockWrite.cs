namespace UpsAgent.Raid.Storage;

/// <summary>One member write from part of a caller's buffer: what <see cref="ConcurrentBlockWrites"/> carries out.</summary>
public readonly record struct BlockWrite(IBlockDevice Device, long Offset, byte[] Buffer, int BufferOffset, int Length);
