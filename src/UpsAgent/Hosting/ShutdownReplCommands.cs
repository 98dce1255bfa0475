using System.Globalization;
using UpsAgent.Configuration;
using UpsAgent.Console.Repl;

namespace UpsAgent.Hosting;

/// <summary>The REPL's "shutdown" group: the same plan and rehearsal as the command line, for the agent's configuration.</summary>
public static class ShutdownReplCommands
{
    public static void Register(CommandShell shell, AgentConfig config)
    {
        shell.Add(new ReplCommand("shutdown plan", "shutdown plan", "what an outage will do, and when", i =>
        {
            if (i.Arguments.Count != 0)
            {
                return Task.FromResult(i.Usage());
            }

            ShutdownPlanWriter.Write(config, i.Output);
            return Task.FromResult(0);
        }));
        shell.Add(new ReplCommand("shutdown simulate", "shutdown simulate [SEQUENCE] [SPEED]", "rehearse an outage on a fast clock; starts nothing", async i =>
        {
            if (i.Arguments.Count > 2)
            {
                return i.Usage();
            }

            string sequence = i.Arguments.Count > 0 ? i.Arguments[0] : "builtin:outage";
            double speed = 30;
            if (i.Arguments.Count > 1 && (!double.TryParse(i.Arguments[1], NumberStyles.Float, CultureInfo.InvariantCulture, out speed) || speed is < 0.1 or > 10_000))
            {
                return i.Fail($"'{i.Arguments[1]}' is not a speed from 0.1 to 10000");
            }

            try
            {
                return await ShutdownSimulation.RunAsync(config, sequence, speed, TimeSpan.FromHours(2), i.Output, i.CancellationToken).ConfigureAwait(false);
            }
            catch (ConfigException e)
            {
                return i.Fail(e.Message);
            }
        }));
    }
}
