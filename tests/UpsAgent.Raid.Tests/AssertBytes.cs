namespace UpsAgent.Raid.Tests;

/// <summary>Fast byte comparison with the first differing offset in the message (CollectionAssert boxes every byte).</summary>
internal static class AssertBytes
{
    public static void Equal(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string message = "")
    {
        Assert.AreEqual(expected.Length, actual.Length, $"length {message}");
        int at = expected.CommonPrefixLength(actual);
        if (at != expected.Length)
        {
            Assert.Fail($"bytes differ first at offset {at}: expected {expected[at]:x2}, got {actual[at]:x2} {message}");
        }
    }
}
