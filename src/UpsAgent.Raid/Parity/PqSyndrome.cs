using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpsAgent.Raid.Parity;

/// <summary>
/// RAID6 syndromes P = ⊕ D_i and Q = ⊕ g^i·D_i over GF(2^8)/0x11d, computed like lib/raid6 with
/// Horner's rule from the highest slot (q = q·{02} ⊕ D_z), and multiplication by a constant with
/// split-nibble shuffles. Slots are offsets into one buffer; a negative offset is a zero block.
/// </summary>
public static class PqSyndrome
{
    public static void Generate(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, Span<byte> p, Span<byte> q) =>
        Generate(blocks, length, slotOffsets, p, q, ParityPaths.Best);

    public static void Generate(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, Span<byte> p, Span<byte> q, ParityPath path)
    {
        XorParity.Check(blocks, length, slotOffsets, p);
        XorParity.Check(blocks, length, slotOffsets, q);
        ref byte b = ref MemoryMarshal.GetReference(blocks);
        ref byte pr = ref MemoryMarshal.GetReference(p);
        ref byte qr = ref MemoryMarshal.GetReference(q);
        nuint n = (nuint)length;
        nuint i = 0;
        int top = slotOffsets.Length - 1;
        // 128 bytes per pass with the accumulators in registers, like the kernel's avx2x4 gen_syndrome:
        // per source, q = q·{02} (add, sign mask, and 0x1d, xor) then p ^= d, q ^= d.
        if (path == ParityPath.Vector512)
        {
            Vector512<byte> poly = Vector512.Create((byte)0x1d);
            for (; i + 128 <= n; i += 128)
            {
                Vector512<byte> p0 = Vector512<byte>.Zero, p1 = Vector512<byte>.Zero;
                Vector512<byte> q0 = Vector512<byte>.Zero, q1 = Vector512<byte>.Zero;
                for (int z = top; z >= 0; z--)
                {
                    q0 = Times2(q0, poly);
                    q1 = Times2(q1, poly);
                    int off = slotOffsets[z];
                    if (off >= 0)
                    {
                        ref byte src = ref Unsafe.Add(ref b, (nuint)off + i);
                        Vector512<byte> d0 = Vector512.LoadUnsafe(ref src);
                        Vector512<byte> d1 = Vector512.LoadUnsafe(ref src, 64);
                        p0 ^= d0;
                        q0 ^= d0;
                        p1 ^= d1;
                        q1 ^= d1;
                    }
                }

                p0.StoreUnsafe(ref pr, i);
                p1.StoreUnsafe(ref pr, i + 64);
                q0.StoreUnsafe(ref qr, i);
                q1.StoreUnsafe(ref qr, i + 64);
            }
        }

        if (path != ParityPath.Scalar)
        {
            Vector256<byte> poly = Vector256.Create((byte)0x1d);
            for (; i + 128 <= n; i += 128)
            {
                Vector256<byte> p0 = Vector256<byte>.Zero, p1 = Vector256<byte>.Zero, p2 = Vector256<byte>.Zero, p3 = Vector256<byte>.Zero;
                Vector256<byte> q0 = Vector256<byte>.Zero, q1 = Vector256<byte>.Zero, q2 = Vector256<byte>.Zero, q3 = Vector256<byte>.Zero;
                for (int z = top; z >= 0; z--)
                {
                    q0 = Times2(q0, poly);
                    q1 = Times2(q1, poly);
                    q2 = Times2(q2, poly);
                    q3 = Times2(q3, poly);
                    int off = slotOffsets[z];
                    if (off >= 0)
                    {
                        ref byte src = ref Unsafe.Add(ref b, (nuint)off + i);
                        Vector256<byte> d0 = Vector256.LoadUnsafe(ref src);
                        Vector256<byte> d1 = Vector256.LoadUnsafe(ref src, 32);
                        Vector256<byte> d2 = Vector256.LoadUnsafe(ref src, 64);
                        Vector256<byte> d3 = Vector256.LoadUnsafe(ref src, 96);
                        p0 ^= d0;
                        q0 ^= d0;
                        p1 ^= d1;
                        q1 ^= d1;
                        p2 ^= d2;
                        q2 ^= d2;
                        p3 ^= d3;
                        q3 ^= d3;
                    }
                }

                p0.StoreUnsafe(ref pr, i);
                p1.StoreUnsafe(ref pr, i + 32);
                p2.StoreUnsafe(ref pr, i + 64);
                p3.StoreUnsafe(ref pr, i + 96);
                q0.StoreUnsafe(ref qr, i);
                q1.StoreUnsafe(ref qr, i + 32);
                q2.StoreUnsafe(ref qr, i + 64);
                q3.StoreUnsafe(ref qr, i + 96);
            }

            for (; i + 32 <= n; i += 32)
            {
                Vector256<byte> p0 = Vector256<byte>.Zero;
                Vector256<byte> q0 = Vector256<byte>.Zero;
                for (int z = top; z >= 0; z--)
                {
                    q0 = Times2(q0, poly);
                    int off = slotOffsets[z];
                    if (off >= 0)
                    {
                        Vector256<byte> d0 = Vector256.LoadUnsafe(ref b, (nuint)off + i);
                        p0 ^= d0;
                        q0 ^= d0;
                    }
                }

                p0.StoreUnsafe(ref pr, i);
                q0.StoreUnsafe(ref qr, i);
            }
        }

        // Without vectors, eight bytes per ulong: the top bit of each byte, moved to its bit 0 and
        // multiplied by 0x1d, is the reduction term; no product crosses a byte.
        for (; i + 8 <= n; i += 8)
        {
            ulong pv = 0;
            ulong qv = 0;
            for (int z = top; z >= 0; z--)
            {
                qv = ((qv & 0x7f7f7f7f7f7f7f7fUL) << 1) ^ (((qv >> 7) & 0x0101010101010101UL) * 0x1d);
                int off = slotOffsets[z];
                if (off >= 0)
                {
                    ulong d = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref b, (nuint)off + i));
                    pv ^= d;
                    qv ^= d;
                }
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref pr, i), pv);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref qr, i), qv);
        }

        for (; i < n; i++)
        {
            byte pv = 0;
            byte qv = 0;
            for (int z = top; z >= 0; z--)
            {
                qv = Gf256.MultiplyBy2(qv);
                int off = slotOffsets[z];
                if (off >= 0)
                {
                    byte d = Unsafe.Add(ref b, (nuint)off + i);
                    pv ^= d;
                    qv ^= d;
                }
            }

            Unsafe.Add(ref pr, i) = pv;
            Unsafe.Add(ref qr, i) = qv;
        }
    }

    /// <summary><paramref name="destination"/> ^= <paramref name="factor"/>·<paramref name="source"/> (a Q delta for read-modify-write).</summary>
    public static void MultiplyXorInto(Span<byte> destination, ReadOnlySpan<byte> source, byte factor) =>
        MultiplyXorInto(destination, source, factor, ParityPaths.Best);

    public static void MultiplyXorInto(Span<byte> destination, ReadOnlySpan<byte> source, byte factor, ParityPath path)
    {
        if (source.Length < destination.Length)
        {
            throw new ArgumentException($"source has {source.Length} bytes, destination {destination.Length}", nameof(source));
        }

        Span<byte> tables = stackalloc byte[32];
        NibbleTables(factor, tables);
        ref byte d = ref MemoryMarshal.GetReference(destination);
        ref byte s = ref MemoryMarshal.GetReference(source);
        nuint n = (nuint)destination.Length;
        nuint i = 0;
        if (path == ParityPath.Vector512 && Avx512BW.IsSupported)
        {
            Vector512<byte> lo = Vector512.Create(Vector256.Create(Vector128.Create(tables[..16])));
            Vector512<byte> hi = Vector512.Create(Vector256.Create(Vector128.Create(tables[16..])));
            Vector512<byte> mask = Vector512.Create((byte)0x0f);
            for (; i + 64 <= n; i += 64)
            {
                Vector512<byte> x = Vector512.LoadUnsafe(ref s, i);
                Vector512<byte> product = Avx512BW.Shuffle(lo, x & mask) ^ Avx512BW.Shuffle(hi, Vector512.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask);
                (Vector512.LoadUnsafe(ref d, i) ^ product).StoreUnsafe(ref d, i);
            }
        }

        if (path != ParityPath.Scalar && Avx2.IsSupported)
        {
            Vector256<byte> lo = Vector256.Create(Vector128.Create(tables[..16]));
            Vector256<byte> hi = Vector256.Create(Vector128.Create(tables[16..]));
            Vector256<byte> mask = Vector256.Create((byte)0x0f);
            for (; i + 32 <= n; i += 32)
            {
                Vector256<byte> x = Vector256.LoadUnsafe(ref s, i);
                Vector256<byte> product = Avx2.Shuffle(lo, x & mask) ^ Avx2.Shuffle(hi, Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & mask);
                (Vector256.LoadUnsafe(ref d, i) ^ product).StoreUnsafe(ref d, i);
            }
        }

        for (; i < n; i++)
        {
            byte x = Unsafe.Add(ref s, i);
            Unsafe.Add(ref d, i) ^= (byte)(tables[x & 0x0f] ^ tables[16 + (x >> 4)]);
        }
    }

    // x·{02} in GF(2^8)/0x11d on every byte: shift left, and fold 0x1d into bytes whose top bit was set.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Times2(Vector256<byte> x, Vector256<byte> poly) =>
        (x + x) ^ (Vector256.LessThan(x.AsSByte(), Vector256<sbyte>.Zero).AsByte() & poly);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Times2(Vector512<byte> x, Vector512<byte> poly) =>
        (x + x) ^ (Vector512.LessThan(x.AsSByte(), Vector512<sbyte>.Zero).AsByte() & poly);

    // factor·x = factor·(x & 0x0f) ⊕ factor·(x & 0xf0): two 16-entry tables indexed by the nibbles.
    internal static void NibbleTables(byte factor, Span<byte> tables)
    {
        for (int v = 0; v < 16; v++)
        {
            tables[v] = Gf256.Multiply(factor, (byte)v);
            tables[16 + v] = Gf256.Multiply(factor, (byte)(v << 4));
        }
    }
}
