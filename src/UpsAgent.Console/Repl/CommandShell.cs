namespace UpsAgent.Console.Repl;

/// <summary>
/// The command layer shared by the REPL, the control socket and (later) the Terminal.Gui console:
/// a table of verbs, matched on their leading words, each writing plain text.
/// </summary>
public sealed class CommandShell
{
    private readonly List<ReplCommand> _commands = [];

    public IReadOnlyList<ReplCommand> Commands => _commands;

    public void Add(ReplCommand command)
    {
        if (_commands.Any(c => c.Path == command.Path))
        {
            throw new InvalidOperationException($"REPL command '{command.Path}' is registered twice.");
        }

        _commands.Add(command);
    }

    /// <summary>Runs one line; returns 0 on success. Never throws for bad input or a failing handler.</summary>
    public async Task<int> ExecuteAsync(string line, TextWriter output, CancellationToken cancellationToken)
    {
        if (!ReplLineSplitter.TrySplit(line, out List<string> words, out string? error))
        {
            output.WriteLine($"error: {error}");
            return 2;
        }

        if (words.Count == 0)
        {
            return 0;
        }

        ReplCommand? best = null;
        foreach (ReplCommand command in _commands)
        {
            if (command.Words.Length <= words.Count
                && command.Words.Select((w, i) => string.Equals(w, words[i], StringComparison.OrdinalIgnoreCase)).All(m => m)
                && (best is null || command.Words.Length > best.Words.Length))
            {
                best = command;
            }
        }

        if (best is null)
        {
            var group = _commands.Where(c => string.Equals(c.Words[0], words[0], StringComparison.OrdinalIgnoreCase)).ToList();
            if (group.Count > 0)
            {
                output.WriteLine($"error: unknown '{words[0]}' command '{string.Join(' ', words.Skip(1))}'; try:");
                foreach (ReplCommand c in group)
                {
                    output.WriteLine($"  {c.Usage,-40} {c.Summary}");
                }
            }
            else
            {
                output.WriteLine($"error: unknown command '{words[0]}' (type 'help' for the list)");
            }

            return 2;
        }

        var invocation = new ReplInvocation(best, words.Skip(best.Words.Length).ToList(), output, cancellationToken);
        try
        {
            return await best.Handler(invocation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("error: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            // A handler bug must not take down the agent that serves this console.
            output.WriteLine($"error: '{best.Path}' failed: {e.Message}");
            return 1;
        }
    }

    public void WriteHelp(TextWriter output, string? group = null)
    {
        var selected = _commands
            .Where(c => group is null || string.Equals(c.Words[0], group, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Path, StringComparer.Ordinal)
            .ToList();
        if (selected.Count == 0)
        {
            output.WriteLine($"error: no commands in group '{group}'");
            return;
        }

        foreach (ReplCommand c in selected)
        {
            output.WriteLine($"  {c.Usage,-44} {c.Summary}");
        }
    }
}
