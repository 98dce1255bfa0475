using UpsAgent.Backup.Jobs;
using UpsAgent.Console.Repl;

namespace UpsAgent.Hosting;

/// <summary>The REPL's "job" group, answered by the agent's scheduler: list, run now, status.</summary>
public static class JobReplCommands
{
    public static void Register(CommandShell shell, JobScheduler scheduler, TimeZoneInfo zone)
    {
        shell.Add(new ReplCommand("job list", "job list", "configured backup jobs: schedule, sources, dumps, target, next run", i =>
        {
            if (i.Arguments.Count != 0)
            {
                return Task.FromResult(i.Usage());
            }

            JobListing.WriteList(scheduler.States(), zone, i.Output);
            return Task.FromResult(0);
        }));
        shell.Add(new ReplCommand("job status", "job status", "next run and last result of every job", i =>
        {
            if (i.Arguments.Count != 0)
            {
                return Task.FromResult(i.Usage());
            }

            JobListing.WriteStatus(scheduler.States(), zone, i.Output);
            return Task.FromResult(0);
        }));
        shell.Add(new ReplCommand("job run", "job run NAME", "start a job now, in the background ('job status' shows how it ended)", i =>
        {
            if (i.Arguments.Count != 1)
            {
                return Task.FromResult(i.Usage());
            }

            if (!scheduler.TryRunNow(i.Arguments[0], out string reason))
            {
                return Task.FromResult(i.Fail(reason));
            }

            i.Output.WriteLine(reason);
            return Task.FromResult(0);
        }));
    }
}
