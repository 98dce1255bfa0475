using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace UpsAgent.Raid.Parity;

/// <summary>
/// RAID 4/5 parity P (and RAID6's P): the XOR of the data blocks. Blocks are given as offsets into one
/// buffer so a stripe needs no per-call arrays; nothing here allocates.
/// </summary>
public static class XorParity
{
    /// <summary><paramref name="destination"/> ^= <paramref name="source"/>.</summary>
    public static void XorInto(Span<byte> destination, ReadOnlySpan<byte> source) =>
        XorInto(destination, source, ParityPaths.Best);

    public static void XorInto(Span<byte> destination, ReadOnlySpan<byte> source, ParityPath path)
    {
        if (source.Length < destination.Length)
        {
            throw new ArgumentException($"source has {source.Length} bytes, destination {destination.Length}", nameof(source));
        }

        ref byte d = ref MemoryMarshal.GetReference(destination);
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint length = (nuint)destination.Length;
        nuint i = 0;
        if (path == ParityPath.Vector512)
        {
            for (; i + 64 <= length; i += 64)
            {
                (Vector512.LoadUnsafe(ref d, i) ^ Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            }
        }

        if (path != ParityPath.Scalar)
        {
            for (; i + 64 <= length; i += 64)
            {
                (Vector256.LoadUnsafe(ref d, i) ^ Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
                (Vector256.LoadUnsafe(ref d, i + 32) ^ Vector256.LoadUnsafe(ref s, i + 32)).StoreUnsafe(ref d, i + 32);
            }

            for (; i + 32 <= length; i += 32)
            {
                (Vector256.LoadUnsafe(ref d, i) ^ Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            }
        }

        for (; i + 8 <= length; i += 8)
        {
            ulong v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref d, i)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref s, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, i), v);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref d, i) ^= Unsafe.Add(ref s, i);
        }
    }

    /// <summary>
    /// <paramref name="destination"/> = XOR of the blocks at <paramref name="offsets"/> in
    /// <paramref name="blocks"/>, each <paramref name="length"/> bytes; a negative offset is a zero block.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> offsets, Span<byte> destination) =>
        Compute(blocks, length, offsets, destination, ParityPaths.Best);

    public static void Compute(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> offsets, Span<byte> destination, ParityPath path)
    {
        Check(blocks, length, offsets, destination);
        ref byte b = ref MemoryMarshal.GetReference(blocks);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)length;
        nuint i = 0;

        // Each source is loaded once per 128-byte line and folded into accumulators held in registers,
        // as the kernel's xor_avx_N does; one store per line.
        if (path == ParityPath.Vector512)
        {
            for (; i + 128 <= n; i += 128)
            {
                Vector512<byte> a0 = Vector512<byte>.Zero;
                Vector512<byte> a1 = Vector512<byte>.Zero;
                foreach (int off in offsets)
                {
                    if (off >= 0)
                    {
                        ref byte src = ref Unsafe.Add(ref b, (nuint)off + i);
                        a0 ^= Vector512.LoadUnsafe(ref src);
                        a1 ^= Vector512.LoadUnsafe(ref src, 64);
                    }
                }

                a0.StoreUnsafe(ref dst, i);
                a1.StoreUnsafe(ref dst, i + 64);
            }
        }

        if (path != ParityPath.Scalar)
        {
            for (; i + 128 <= n; i += 128)
            {
                Vector256<byte> a0 = Vector256<byte>.Zero;
                Vector256<byte> a1 = Vector256<byte>.Zero;
                Vector256<byte> a2 = Vector256<byte>.Zero;
                Vector256<byte> a3 = Vector256<byte>.Zero;
                foreach (int off in offsets)
                {
                    if (off >= 0)
                    {
                        ref byte src = ref Unsafe.Add(ref b, (nuint)off + i);
                        a0 ^= Vector256.LoadUnsafe(ref src);
                        a1 ^= Vector256.LoadUnsafe(ref src, 32);
                        a2 ^= Vector256.LoadUnsafe(ref src, 64);
                        a3 ^= Vector256.LoadUnsafe(ref src, 96);
                    }
                }

                a0.StoreUnsafe(ref dst, i);
                a1.StoreUnsafe(ref dst, i + 32);
                a2.StoreUnsafe(ref dst, i + 64);
                a3.StoreUnsafe(ref dst, i + 96);
            }

            for (; i + 32 <= n; i += 32)
            {
                Vector256<byte> a0 = Vector256<byte>.Zero;
                foreach (int off in offsets)
                {
                    if (off >= 0)
                    {
                        a0 ^= Vector256.LoadUnsafe(ref b, (nuint)off + i);
                    }
                }

                a0.StoreUnsafe(ref dst, i);
            }
        }

        for (; i + 8 <= n; i += 8)
        {
            ulong acc = 0;
            foreach (int off in offsets)
            {
                if (off >= 0)
                {
                    acc ^= Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, (nuint)off + i));
                }
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), acc);
        }

        for (; i < n; i++)
        {
            byte acc = 0;
            foreach (int off in offsets)
            {
                if (off >= 0)
                {
                    acc ^= Unsafe.Add(ref b, (nuint)off + i);
                }
            }

            Unsafe.Add(ref dst, i) = acc;
        }
    }

    internal static void Check(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> offsets, Span<byte> destination)
    {
        if (length < 0 || destination.Length < length)
        {
            throw new ArgumentException($"length {length} does not fit the destination of {destination.Length} bytes", nameof(length));
        }

        foreach (int off in offsets)
        {
            if (off >= 0 && (long)off + length > blocks.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), $"block at {off} + {length} runs past the buffer of {blocks.Length} bytes");
            }
        }
    }
}
