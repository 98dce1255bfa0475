using UpsAgent.Backup.Jobs;
using UpsAgent.Configuration;
using UpsAgent.Hosting;
using UpsAgent.Shutdown.Execution;

namespace UpsAgent.Cli;

/// <summary>"upsagent job list|run|status": the [job NAME] backups of a configuration, outside the agent.</summary>
public static class JobVerb
{
    public static CliVerb Create() => new(
        "job",
        "job list|status [--config FILE] | job run NAME [--config FILE]",
        "Backup jobs: directories and pg_dump output written to a growing image or a rotation set on a cron schedule.",
        """
        The running agent runs each [job NAME] at its schedule's times (crontab syntax); these commands
        read the same configuration.
          job list          schedule, sources, dumps (with the command that runs pg_dump), target, next run
          job status        next run and the last result of each job, as the agent saved it
          job run NAME      run the job now in this process and wait for it; the result is saved for
                            'job status'. In the agent's REPL, 'job run NAME' starts it in the agent.
        Exit codes: 0 done, 1 the job failed (its message says why), 2 bad command line, 78 bad configuration.
        """,
        [CommonOptions.Config],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count == 0)
        {
            throw new UsageException("job: give a subcommand (list, run, status)");
        }

        string command = args.Positional[0];
        int words = command == "run" ? 2 : 1;
        if (command is not ("list" or "run" or "status"))
        {
            throw new UsageException($"job: unknown subcommand '{command}' (list, run, status)");
        }

        if (args.Positional.Count != words)
        {
            throw new UsageException(command == "run" ? "job run: give exactly one job name" : $"job {command}: unexpected argument '{args.Positional[1]}'");
        }

        AgentConfig config = ConfigResolver.Resolve(args.Value(CommonOptions.Config.Name));
        TextWriter o = System.Console.Out;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        List<JobState> states = config.Jobs
            .Select(j => new JobState(j, j.Schedule.Next(now, TimeZoneInfo.Local), false, new JobResultStore(j.StateDirectory).Load(j.Name)))
            .ToList();
        if (command == "list")
        {
            JobListing.WriteList(states, TimeZoneInfo.Local, o);
            return 0;
        }

        if (command == "status")
        {
            JobListing.WriteStatus(states, TimeZoneInfo.Local, o);
            return 0;
        }

        string name = args.Positional[1];
        BackupJob job = config.Jobs.FirstOrDefault(j => j.Name == name)
            ?? throw new UsageException($"job run: no job '{name}' in {config.Source}; configured: {(config.Jobs.Count == 0 ? "none" : string.Join(", ", config.Jobs.Select(j => j.Name)))}");
        JobResult result = await new BackupJobRunner(new SystemProcessRunner()).RunAsync(job, now.ToUnixTimeSeconds(), cancellationToken).ConfigureAwait(false);
        new JobResultStore(job.StateDirectory).Save(result);
        (result.Succeeded ? o : System.Console.Error).WriteLine($"job {job.Name}: {result.Summary()}");
        return result.Succeeded ? 0 : 1;
    }
}
