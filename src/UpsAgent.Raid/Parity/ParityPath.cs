using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace UpsAgent.Raid.Parity;

/// <summary>Which instruction width the parity kernels use; the widest the CPU accelerates by default.</summary>
public enum ParityPath
{
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>Picks the parity path once per call site from what the runtime reports.</summary>
public static class ParityPaths
{
    public static ParityPath Best =>
        Vector512.IsHardwareAccelerated && Avx512BW.IsSupported ? ParityPath.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported ? ParityPath.Vector256
        : ParityPath.Scalar;

    public static IReadOnlyList<ParityPath> Available()
    {
        var list = new List<ParityPath> { ParityPath.Scalar };
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported)
        {
            list.Add(ParityPath.Vector256);
        }

        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported)
        {
            list.Add(ParityPath.Vector512);
        }

        return list;
    }
}
