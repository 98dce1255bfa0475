namespace UpsAgent.Backup.Iso9660;

/// <summary>What an image says about itself. The recording time is an input so the same tree gives the same bytes.</summary>
public sealed record IsoOptions(string VolumeId, long RecordingTime)
{
    public string SystemId { get; init; } = "LINUX";

    public string ApplicationId { get; init; } = "UPSAGENT";
}
