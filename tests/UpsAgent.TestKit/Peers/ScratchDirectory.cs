namespace UpsAgent.TestKit.Peers;

/// <summary>A test's own private directory for scripts, markers and logs; removed on dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string prefix) => Path = PeerDirectory.Create(prefix);

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes an executable script (mode 0755) and returns its path.</summary>
    public string WriteScript(string name, string content) => PeerDirectory.WriteScript(Path, name, content);

    /// <summary>A shutdown command that only records when it ran; see <see cref="ShutdownMarker"/>.</summary>
    public string ShutdownScript(string name, string after = "") => ShutdownMarker.WriteScript(Path, name, after);

    public DateTimeOffset? MarkerTime(string name) => ShutdownMarker.ReadTime(ShutdownMarker.MarkerPath(Path, name));

    public void Dispose() => PeerDirectory.TryDelete(Path);
}
