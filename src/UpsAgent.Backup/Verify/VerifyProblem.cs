namespace UpsAgent.Backup.Verify;

/// <summary>One finding of a verification: what, where (a path, or "block N"), and the values seen.</summary>
public sealed record VerifyProblem(VerifyProblemKind Kind, string Where, string Detail)
{
    public override string ToString() => $"{Label(Kind)} {Where}: {Detail}";

    private static string Label(VerifyProblemKind kind) => kind switch
    {
        VerifyProblemKind.Unreadable => "UNREADABLE",
        VerifyProblemKind.MetadataChanged => "METADATA",
        VerifyProblemKind.Structure => "STRUCTURE",
        VerifyProblemKind.Manifest => "MANIFEST",
        VerifyProblemKind.ContentChanged => "CHANGED",
        VerifyProblemKind.AttributesChanged => "ATTRIBUTES",
        VerifyProblemKind.Missing => "MISSING",
        VerifyProblemKind.Unexpected => "UNEXPECTED",
        _ => "JOLIET",
    };
}
