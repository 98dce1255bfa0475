namespace UpsAgent.Backup.Media;

/// <summary>cdrecord's blank=fast (make the medium look empty) and blank=all (overwrite every block).</summary>
public enum BlankMode
{
    Fast,
    Full,
}
