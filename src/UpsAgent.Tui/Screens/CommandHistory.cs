namespace UpsAgent.Tui.Screens;

/// <summary>
/// Lines typed at the console, for Up/Down recall as a shell does: Up walks back, Down walks forward
/// and past the newest returns the line that was being typed; repeating the last line adds nothing.
/// </summary>
public sealed class CommandHistory(int capacity = 500)
{
    private readonly List<string> _lines = [];
    private int _position;
    private string _draft = string.Empty;

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line)
    {
        if (line.Length > 0 && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > capacity)
            {
                _lines.RemoveAt(0);
            }
        }

        _position = _lines.Count;
        _draft = string.Empty;
    }

    /// <summary>The older line to show, or null at the oldest; <paramref name="typed"/> is kept as the draft.</summary>
    public string? Previous(string typed)
    {
        if (_position == 0)
        {
            return null;
        }

        if (_position == _lines.Count)
        {
            _draft = typed;
        }

        return _lines[--_position];
    }

    /// <summary>The newer line to show, the draft after the newest, or null when already there.</summary>
    public string? Next()
    {
        if (_position >= _lines.Count)
        {
            return null;
        }

        _position++;
        return _position == _lines.Count ? _draft : _lines[_position];
    }
}
