namespace UpsAgent.Backup.Tests.Jobs;

/// <summary>Shell scripts standing in for pg_dump: they print SQL naming the database, or fail as pg_dump does.</summary>
internal static class FakePgDump
{
    public static string Good(string directory) => Script(directory, "pg_dump_ok", """
        #!/bin/sh
        # Last argument is the database, as pg_dump takes it; the options come before it.
        for db; do :; done
        echo "-- PostgreSQL database dump"
        echo "-- options: $*"
        echo "-- user: $(id -un)"
        echo "CREATE TABLE t (id integer);"
        echo "COPY t (id) FROM stdin;"
        i=0; while [ $i -lt 100 ]; do echo $i; i=$((i+1)); done
        echo "\\."
        echo "-- database: $db"
        """);

    public static string Failing(string directory) => Script(directory, "pg_dump_fail", """
        #!/bin/sh
        echo "-- PostgreSQL database dump"
        echo 'pg_dump: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "testdb" does not exist' >&2
        exit 1
        """);

    public static string Warning(string directory) => Script(directory, "pg_dump_warn", """
        #!/bin/sh
        echo "CREATE TABLE t (id integer);"
        echo "pg_dump: warning: could not read the table t completely" >&2
        exit 0
        """);

    private static string Script(string directory, string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text.Replace("\r", "") + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }
}
