using System.Buffers;

namespace UpsAgent.Servers.Transport;

internal static class PooledBuffer
{
    /// <summary>
    /// Gives <paramref name="buffer"/> back to the shared pool once: the first call marks
    /// <paramref name="completed"/> and leaves an empty array behind, later calls do nothing.
    /// </summary>
    public static void ReturnOnce(ref byte[] buffer, ref bool completed)
    {
        if (completed)
        {
            return;
        }

        completed = true;
        byte[] returned = buffer;
        buffer = [];
        ArrayPool<byte>.Shared.Return(returned);
    }
}
