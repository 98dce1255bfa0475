namespace UpsAgent.Console.Repl;

/// <summary>
/// The record form of "status tsv": tab-separated fields on one line. Tabs and line breaks inside a
/// field become spaces, so a UPS description or an error message cannot shift the columns.
/// </summary>
public static class StatusRecord
{
    public const char Separator = '\t';

    public static string Join(params string[] fields) =>
        string.Join(Separator, fields.Select(f => f.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ')));

    public static string[] Split(string line) => line.Split(Separator);
}
