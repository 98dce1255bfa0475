using UpsAgent.Backup.Manifest;

namespace UpsAgent.Backup.Media;

/// <summary>A session just written: where to read it back (image file or device) and what was written.</summary>
public sealed record WrittenSession(string ReadPath, uint StartLba, ManifestedImageResult Result)
{
    public CatalogSession CatalogEntry(string target) => ManifestedImageFile.SessionOf(Result, target, StartLba);
}
