using System.Globalization;

namespace UpsAgent.Backup.Media;

/// <summary>
/// cdrecord -msinfo's two numbers: the start of the last session (where a new session's mkisofs -C finds the
/// previous tree) and the next writable address. Printed as "a,b", the form mkisofs -C takes.
/// </summary>
public sealed record MultiSessionInfo(long LastSessionLba, long NextWritableLba)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LastSessionLba},{NextWritableLba}");
}
