using UpsAgent.Raid.Parity;

namespace UpsAgent.Raid.Tests.Parity;

// Every instruction width against a byte-wise reference written straight from the definition
// (P = ⊕ D_i, Q = ⊕ g^i·D_i, spec raid.md §2), at lengths around the 128/64/32/8-byte loop edges.
// Vector512 runs too where the CPU lacks AVX-512: the runtime then executes it in software.
[TestClass]
public sealed class ParityWidthTests
{
    private static readonly int[] Lengths = [1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 257, 1000, 4096 + 136];

    public static IEnumerable<object[]> AllPaths => Enum.GetValues<ParityPath>().Select(p => new object[] { p });

    [TestMethod]
    [DynamicData(nameof(AllPaths))]
    public void Xor_matches_the_definition_at_every_loop_edge(ParityPath path)
    {
        var random = new Random(21);
        foreach (int length in Lengths)
        {
            foreach (int sources in new[] { 1, 2, 3, 5, 9 })
            {
                (byte[] blocks, int[] offsets) = Stripe(random, sources, length);
                byte[] expected = new byte[length];
                for (int j = 0; j < length; j++)
                {
                    foreach (int off in offsets.Where(o => o >= 0))
                    {
                        expected[j] ^= blocks[off + j];
                    }
                }

                byte[] actual = new byte[length + 3];
                actual[length] = 0xa5;
                XorParity.Compute(blocks, length, offsets, actual, path);
                AssertBytes.Equal(expected, actual.AsSpan(0, length), $"{path} n={sources} length={length}");
                Assert.AreEqual(0xa5, actual[length], "nothing written past the length");
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(AllPaths))]
    public void P_and_q_match_the_definition_at_every_loop_edge(ParityPath path)
    {
        var random = new Random(22);
        foreach (int length in Lengths)
        {
            foreach (int sources in new[] { 1, 2, 3, 4, 8, 17 })
            {
                (byte[] blocks, int[] offsets) = Stripe(random, sources, length);
                byte[] p = new byte[length];
                byte[] q = new byte[length];
                for (int slot = 0; slot < sources; slot++)
                {
                    if (offsets[slot] < 0)
                    {
                        continue;
                    }

                    byte g = Gf256.Power(slot);
                    for (int j = 0; j < length; j++)
                    {
                        byte d = blocks[offsets[slot] + j];
                        p[j] ^= d;
                        q[j] ^= Gf256.Multiply(g, d);
                    }
                }

                byte[] actualP = new byte[length];
                byte[] actualQ = new byte[length];
                PqSyndrome.Generate(blocks, length, offsets, actualP, actualQ, path);
                AssertBytes.Equal(p, actualP, $"P {path} n={sources} length={length}");
                AssertBytes.Equal(q, actualQ, $"Q {path} n={sources} length={length}");
            }
        }
    }

    // Blocks at scattered offsets in one buffer; roughly one slot in four is a zero (absent) block.
    private static (byte[] Blocks, int[] Offsets) Stripe(Random random, int sources, int length)
    {
        int stride = length + 5;
        byte[] blocks = new byte[(sources * stride) + 5];
        random.NextBytes(blocks);
        int[] offsets = [.. Enumerable.Range(0, sources).Select(i => sources > 1 && random.Next(4) == 0 ? -1 : 3 + (i * stride))];
        return (blocks, offsets);
    }
}
