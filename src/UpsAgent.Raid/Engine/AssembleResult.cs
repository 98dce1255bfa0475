namespace UpsAgent.Raid.Engine;

/// <summary>The running array, or why there is none; warnings name members that were left out.</summary>
public sealed record AssembleResult(RaidArray? Array, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Array is not null;
}
