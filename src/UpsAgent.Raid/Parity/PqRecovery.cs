using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpsAgent.Raid.Parity;

/// <summary>
/// Recovery of lost RAID 4/5/6 blocks (Anvin §4; spec raid.md §2). Survivors are offsets into one buffer,
/// lost slots are marked with a negative offset; results go to caller-supplied spans; nothing allocates.
/// </summary>
public static class PqRecovery
{
    /// <summary>One lost data block (or P itself): the XOR of every survivor including P.</summary>
    public static void RecoverFromP(ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> survivorOffsets, Span<byte> destination) =>
        XorParity.Compute(blocks, length, survivorOffsets, destination);

    /// <summary>Data slot <paramref name="lostSlot"/> and P lost: D_x = (Q ⊕ Q_x)·g^-x, then P is recomputed.</summary>
    public static void RecoverDataAndP(
        ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, int lostSlot,
        ReadOnlySpan<byte> q, Span<byte> data, Span<byte> p) =>
        RecoverDataAndP(blocks, length, slotOffsets, lostSlot, q, data, p, ParityPaths.Best);

    public static void RecoverDataAndP(
        ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, int lostSlot,
        ReadOnlySpan<byte> q, Span<byte> data, Span<byte> p, ParityPath path)
    {
        if (slotOffsets[lostSlot] >= 0)
        {
            throw new ArgumentException($"slot {lostSlot} is marked present (offset {slotOffsets[lostSlot]})", nameof(lostSlot));
        }

        // P_x into p and Q_x into data, then data = (Q ⊕ Q_x)·g^-x and P = P_x ⊕ D_x.
        PqSyndrome.Generate(blocks, length, slotOffsets, p, data, path);
        Span<byte> dx = data[..length];
        XorParity.XorInto(dx, q[..length], path);
        Scale(dx, Gf256.Power(-lostSlot), path);
        XorParity.XorInto(p[..length], dx, path);
    }

    /// <summary>Two data slots x &lt; y lost: D_x = A·(P⊕P_xy) ⊕ B·(Q⊕Q_xy), D_y = (P⊕P_xy) ⊕ D_x.</summary>
    public static void RecoverTwoData(
        ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, int x, int y,
        ReadOnlySpan<byte> p, ReadOnlySpan<byte> q, Span<byte> dataX, Span<byte> dataY) =>
        RecoverTwoData(blocks, length, slotOffsets, x, y, p, q, dataX, dataY, ParityPaths.Best);

    public static void RecoverTwoData(
        ReadOnlySpan<byte> blocks, int length, ReadOnlySpan<int> slotOffsets, int x, int y,
        ReadOnlySpan<byte> p, ReadOnlySpan<byte> q, Span<byte> dataX, Span<byte> dataY, ParityPath path)
    {
        if (x > y)
        {
            (x, y) = (y, x);
            Span<byte> t = dataX;
            dataX = dataY;
            dataY = t;
        }

        if (x == y || slotOffsets[x] >= 0 || slotOffsets[y] >= 0)
        {
            throw new ArgumentException($"slots {x} and {y} must be two different lost slots");
        }

        byte gyx = Gf256.Power(y - x);
        byte denominator = Gf256.Inverse((byte)(gyx ^ 1));
        byte a = Gf256.Multiply(gyx, denominator);
        byte bCoefficient = Gf256.Multiply(Gf256.Power(-x), denominator);

        // P_xy into dataY, Q_xy into dataX; then the syndrome differences.
        PqSyndrome.Generate(blocks, length, slotOffsets, dataY, dataX, path);
        Span<byte> pxy = dataY[..length];
        Span<byte> qxy = dataX[..length];
        XorParity.XorInto(pxy, p[..length], path);
        XorParity.XorInto(qxy, q[..length], path);
        Combine(pxy, qxy, a, bCoefficient, path);
    }

    /// <summary>The coefficients recovery of slots x &lt; y uses, for known-answer tests.</summary>
    public static (byte A, byte B) TwoDataCoefficients(int x, int y)
    {
        byte gyx = Gf256.Power(y - x);
        byte denominator = Gf256.Inverse((byte)(gyx ^ 1));
        return (Gf256.Multiply(gyx, denominator), Gf256.Multiply(Gf256.Power(-x), denominator));
    }

    // block = factor·block, in place.
    private static void Scale(Span<byte> block, byte factor, ParityPath path)
    {
        Span<byte> tables = stackalloc byte[32];
        PqSyndrome.NibbleTables(factor, tables);
        ref byte r = ref MemoryMarshal.GetReference(block);
        nuint n = (nuint)block.Length;
        nuint i = 0;
        if (path != ParityPath.Scalar && Avx2.IsSupported)
        {
            Vector256<byte> lo = Vector256.Create(Vector128.Create(tables[..16]));
            Vector256<byte> hi = Vector256.Create(Vector128.Create(tables[16..]));
            Vector256<byte> mask = Vector256.Create((byte)0x0f);
            for (; i + 32 <= n; i += 32)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref r, i);
                (Avx2.Shuffle(lo, v & mask) ^ Avx2.Shuffle(hi, Vector256.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & mask)).StoreUnsafe(ref r, i);
            }
        }

        for (int j = (int)i; j < block.Length; j++)
        {
            byte v = block[j];
            block[j] = (byte)(tables[v & 0x0f] ^ tables[16 + (v >> 4)]);
        }
    }

    // qxy ← A·pxy ⊕ B·qxy (= D_x); pxy ← pxy ⊕ D_x (= D_y).
    private static void Combine(Span<byte> pxy, Span<byte> qxy, byte a, byte b, ParityPath path)
    {
        Span<byte> ta = stackalloc byte[32];
        Span<byte> tb = stackalloc byte[32];
        PqSyndrome.NibbleTables(a, ta);
        PqSyndrome.NibbleTables(b, tb);
        ref byte pr = ref MemoryMarshal.GetReference(pxy);
        ref byte qr = ref MemoryMarshal.GetReference(qxy);
        nuint n = (nuint)pxy.Length;
        nuint i = 0;
        if (path != ParityPath.Scalar && Avx2.IsSupported)
        {
            Vector256<byte> alo = Vector256.Create(Vector128.Create(ta[..16]));
            Vector256<byte> ahi = Vector256.Create(Vector128.Create(ta[16..]));
            Vector256<byte> blo = Vector256.Create(Vector128.Create(tb[..16]));
            Vector256<byte> bhi = Vector256.Create(Vector128.Create(tb[16..]));
            Vector256<byte> mask = Vector256.Create((byte)0x0f);
            for (; i + 32 <= n; i += 32)
            {
                Vector256<byte> pv = Vector256.LoadUnsafe(ref pr, i);
                Vector256<byte> qv = Vector256.LoadUnsafe(ref qr, i);
                Vector256<byte> dx =
                    Avx2.Shuffle(alo, pv & mask) ^ Avx2.Shuffle(ahi, Vector256.ShiftRightLogical(pv.AsUInt16(), 4).AsByte() & mask) ^
                    Avx2.Shuffle(blo, qv & mask) ^ Avx2.Shuffle(bhi, Vector256.ShiftRightLogical(qv.AsUInt16(), 4).AsByte() & mask);
                dx.StoreUnsafe(ref qr, i);
                (pv ^ dx).StoreUnsafe(ref pr, i);
            }
        }

        for (int j = (int)i; j < pxy.Length; j++)
        {
            byte pv = pxy[j];
            byte qv = qxy[j];
            byte dx = (byte)(ta[pv & 0x0f] ^ ta[16 + (pv >> 4)] ^ tb[qv & 0x0f] ^ tb[16 + (qv >> 4)]);
            qxy[j] = dx;
            pxy[j] = (byte)(pv ^ dx);
        }
    }
}
