namespace UpsAgent.Raid.Tests;

/// <summary>A private directory under the system temp path (or another root), deleted with everything in it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
        : this(System.IO.Path.GetTempPath())
    {
    }

    public TempDirectory(string root)
    {
        Path = System.IO.Path.Combine(root, $"upsagent-raid-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
