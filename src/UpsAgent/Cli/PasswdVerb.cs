using UpsAgent.Servers.Nut;

namespace UpsAgent.Cli;

/// <summary>"upsagent passwd": the hashed form of a password for a [user] section.</summary>
public static class PasswdVerb
{
    public static CliVerb Create() => new(
        "passwd",
        "passwd [PASSWORD]",
        "Print the hashed form of a password for 'password =' in a [user NAME] section.",
        """
        Reads the password from the first line of standard input when it is not given (safer: it
        stays out of the shell history). The output looks like pbkdf2-sha256$100000$SALT$HASH;
        clients still send the plain password, as NUT clients do.
        """,
        [],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count > 1)
        {
            throw new UsageException("passwd: give at most one password");
        }

        string? password = args.Positional.Count == 1
            ? args.Positional[0]
            : await System.Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("passwd: the password is empty");
        }

        System.Console.Out.WriteLine(PasswordVerifier.Hash(password));
        return 0;
    }
}
