using UpsAgent.Raid.Parity;

namespace UpsAgent.Raid.Tests.Parity;

[TestClass]
public sealed class SyndromeTests
{
    public static IEnumerable<object[]> Paths => ParityPaths.Available().Select(p => new object[] { p });

    private static (byte[] P, byte[] Q) Syndromes(byte[][] data, ParityPath path)
    {
        int length = data[0].Length;
        byte[] buffer = data.SelectMany(d => d).ToArray();
        int[] offsets = Enumerable.Range(0, data.Length).Select(i => i * length).ToArray();
        byte[] p = new byte[length];
        byte[] q = new byte[length];
        PqSyndrome.Generate(buffer, length, offsets, p, q, path);
        return (p, q);
    }

    [TestMethod]
    [DynamicData(nameof(Paths))]
    public void Spec_vector_gives_the_known_p_and_q(ParityPath path)
    {
        // Repeat the 8-byte vector so the vector loops and the scalar tail both run.
        string[] hex = ["05101b26313c4752", "2a35404b56616c77", "4f5a65707b86919c", "747f8a95a0abb6c1"];
        byte[][] data = [.. hex.Select(h => Enumerable.Repeat(Convert.FromHexString(h), 13).SelectMany(b => b).ToArray())];
        (byte[] p, byte[] q) = Syndromes(data, path);
        Assert.AreEqual(string.Concat(Enumerable.Repeat("1400b488bc700c78", 13)), Convert.ToHexStringLower(p));
        Assert.AreEqual(string.Concat(Enumerable.Repeat("f7d036b105ed38b0", 13)), Convert.ToHexStringLower(q));
    }

    [TestMethod]
    [DataRow(new byte[] { 0xff, 0xff, 0xff, 0xff }, (byte)0x6c)]
    [DataRow(new byte[] { 0x01, 0, 0, 0 }, (byte)0x01)]
    [DataRow(new byte[] { 0, 0, 0, 0x01 }, (byte)0x08)]
    [DataRow(new byte[] { 0x01, 0x02, 0x03 }, (byte)0x09)]
    public void Single_byte_q_vectors_from_the_spec(byte[] column, byte expected)
    {
        foreach (ParityPath path in ParityPaths.Available())
        {
            (_, byte[] q) = Syndromes([.. column.Select(b => new[] { b })], path);
            Assert.AreEqual(expected, q[0], path.ToString());
        }
    }

    [TestMethod]
    public void Recovering_slots_0_and_2_uses_coefficients_a6_and_a7()
    {
        (byte a, byte b) = PqRecovery.TwoDataCoefficients(0, 2);
        Assert.AreEqual(0xa6, a);
        Assert.AreEqual(0xa7, b);
    }

    [TestMethod]
    [DynamicData(nameof(Paths))]
    public void Xor_of_many_sources_equals_pairwise_xor(ParityPath path)
    {
        var random = new Random(7);
        foreach (int length in new[] { 1, 31, 32, 63, 64, 65, 200, 4096 + 17 })
        {
            byte[] buffer = new byte[length * 5];
            random.NextBytes(buffer);
            byte[] expected = new byte[length];
            for (int i = 0; i < 5; i++)
            {
                for (int j = 0; j < length; j++)
                {
                    expected[j] ^= buffer[(i * length) + j];
                }
            }

            byte[] actual = new byte[length];
            XorParity.Compute(buffer, length, [0, length, 2 * length, 3 * length, 4 * length], actual, path);
            CollectionAssert.AreEqual(expected, actual, $"length {length}");
            byte[] acc = buffer[..length];
            for (int i = 1; i < 5; i++)
            {
                XorParity.XorInto(acc, buffer.AsSpan(i * length, length), path);
            }

            CollectionAssert.AreEqual(expected, acc);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Paths))]
    public void Multiply_xor_into_matches_table_multiplication(ParityPath path)
    {
        var random = new Random(3);
        byte[] source = new byte[257];
        random.NextBytes(source);
        foreach (byte factor in new byte[] { 0, 1, 2, 0x8e, 0xa6, 0xff })
        {
            byte[] destination = new byte[source.Length];
            PqSyndrome.MultiplyXorInto(destination, source, factor, path);
            for (int i = 0; i < source.Length; i++)
            {
                Assert.AreEqual(Gf256.Multiply(factor, source[i]), destination[i]);
            }
        }
    }

    [TestMethod]
    public void Vector_paths_agree_with_scalar_on_random_data()
    {
        var random = new Random(11);
        byte[][] data = [.. Enumerable.Range(0, 9).Select(_ => { byte[] b = new byte[1000]; random.NextBytes(b); return b; })];
        (byte[] p0, byte[] q0) = Syndromes(data, ParityPath.Scalar);
        foreach (ParityPath path in ParityPaths.Available())
        {
            (byte[] p, byte[] q) = Syndromes(data, path);
            CollectionAssert.AreEqual(p0, p, path.ToString());
            CollectionAssert.AreEqual(q0, q, path.ToString());
        }
    }
}
