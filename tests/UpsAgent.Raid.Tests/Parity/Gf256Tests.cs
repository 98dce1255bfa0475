using UpsAgent.Raid.Parity;

namespace UpsAgent.Raid.Tests.Parity;

// Vectors from the spec (raid.md §2), which match lib/raid6 and the kernel's arrays.
[TestClass]
public sealed class Gf256Tests
{
    [TestMethod]
    public void Powers_of_the_generator_follow_polynomial_0x11d()
    {
        byte[] expected = Convert.FromHexString("0102040810204080" + "1d3a74e8cd871326");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], Gf256.Power(i), $"g^{i}");
        }
    }

    [TestMethod]
    public void Field_is_not_the_aes_field()
    {
        Assert.AreEqual(0x8f, Gf256.Multiply(0x53, 0xca));
    }

    [TestMethod]
    public void Inverse_of_2_is_8e()
    {
        Assert.AreEqual(0x8e, Gf256.Inverse(2));
        Assert.AreEqual(0x8e, Gf256.Power(254));
    }

    [TestMethod]
    public void Every_nonzero_element_times_its_inverse_is_one()
    {
        for (int a = 1; a < 256; a++)
        {
            Assert.AreEqual(1, Gf256.Multiply((byte)a, Gf256.Inverse((byte)a)));
        }
    }
}
