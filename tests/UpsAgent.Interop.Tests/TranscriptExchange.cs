namespace UpsAgent.Interop.Tests;

/// <summary>One request on one named connection and the reply lines it got, normalised for comparison.</summary>
internal sealed record TranscriptExchange(string Connection, string Request, IReadOnlyList<string> Reply)
{
    public override string ToString() => $"[{Connection}] {Request.ReplaceLineEndings("\\n")} -> {string.Join(" | ", Reply)}";
}
