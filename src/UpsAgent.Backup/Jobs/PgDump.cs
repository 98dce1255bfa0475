using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace UpsAgent.Backup.Jobs;

/// <summary>
/// Runs pg_dump for one database with its standard output going straight into a file. Started here rather
/// than through IProcessRunner, whose result holds the output as a string: a dump can be gigabytes. As the
/// seed's "sudo -u postgres pg_dump", the dump runs as the database's owner account (runuser from root)
/// while the file is written by the agent, so it never lands in that account's home.
/// </summary>
public static class PgDump
{
    private const int StderrKeepChars = 4000;

    /// <summary>The program and arguments for a database: direct when already the user, runuser from root.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) CommandFor(BackupJob job, string database, string currentUser, bool privileged)
    {
        string[] dump = [.. job.PgDumpOptions, database];
        if (currentUser == job.PgDumpUser)
        {
            return (job.PgDumpCommand, dump);
        }

        if (privileged)
        {
            return ("runuser", ["-u", job.PgDumpUser, "--", job.PgDumpCommand, .. dump]);
        }

        throw new JobFailedException(
            $"pg_dump {database}: the agent runs as {currentUser}, not root, so it cannot run pg_dump as {job.PgDumpUser}; run the agent as root or as {job.PgDumpUser}, or set pg_dump-user = {currentUser}");
    }

    /// <summary>Dumps <paramref name="database"/> into <paramref name="outputPath"/> (mode 0600); returns its size. Fails on a non-zero exit or any stderr output.</summary>
    public static async Task<long> DumpAsync(BackupJob job, string database, string outputPath, CancellationToken cancellationToken)
    {
        (string fileName, IReadOnlyList<string> arguments) = CommandFor(job, database, Environment.UserName, Environment.IsPrivilegedProcess);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            BufferSize = 1 << 16,
        };
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new JobFailedException($"pg_dump {database}: cannot start {fileName}: {e.Message}");
        }

        process.StandardInput.Close();
        try
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await using (var output = new FileStream(outputPath, fileOptions))
            {
                await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }

            string errors = await stderr.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            string shown = errors.Length > StderrKeepChars ? errors[..StderrKeepChars] + "..." : errors;
            shown = shown.Trim().Replace('\n', ' ');
            if (process.ExitCode != 0)
            {
                throw new JobFailedException($"pg_dump {database} exited with status {process.ExitCode}{(shown.Length > 0 ? ": " + shown : "")}");
            }

            if (shown.Length > 0)
            {
                // pg_dump reports problems it survives (e.g. "warning: ...") on stderr: a dump we cannot vouch for.
                throw new JobFailedException($"pg_dump {database} wrote to stderr: {shown}");
            }

            return new FileInfo(outputPath).Length;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The command line as a shell would show it, for logs and listings.</summary>
    public static string Describe(BackupJob job, string database)
    {
        var text = new StringBuilder();
        try
        {
            (string fileName, IReadOnlyList<string> arguments) = CommandFor(job, database, Environment.UserName, Environment.IsPrivilegedProcess);
            text.Append(fileName);
            foreach (string argument in arguments)
            {
                text.Append(' ').Append(argument);
            }
        }
        catch (JobFailedException e)
        {
            text.Append(e.Message);
        }

        return text.ToString();
    }
}
