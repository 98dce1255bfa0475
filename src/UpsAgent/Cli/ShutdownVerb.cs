using System.Globalization;
using UpsAgent.Configuration;
using UpsAgent.Hosting;

namespace UpsAgent.Cli;

/// <summary>"upsagent shutdown plan|simulate": see the shutdown before a real outage tests it.</summary>
public static class ShutdownVerb
{
    private static readonly OptionSpec Sequence = new("--sequence", "FILE", "outage to play: a .seq/.dev file or builtin:outage (default)");

    private static readonly OptionSpec Speed = new("--speed", "N", "simulated seconds per real second (default 30)");

    private static readonly OptionSpec Duration = new("--duration", "SECONDS", "stop after this much simulated time without a shutdown (default 7200)");

    public static CliVerb Create() => new(
        "shutdown",
        "shutdown plan|simulate [--config FILE] [--sequence FILE] [--speed N]",
        "Show what happens during an outage (plan), or rehearse it on an accelerated clock (simulate).",
        """
        plan      prints, for the configuration, the triggers, their timing and the steps of the shutdown.
        simulate  replaces every UPS this host depends on by a simulated one playing an outage
                  sequence, runs the real policy, notifications, timers and shutdown steps on a
                  clock N times faster than real time, and prints the timeline. Nothing is started:
                  the notify, timer, hook and shutdown commands are shown as "would run".
                  Exit code 0 when the rehearsal ends in a shutdown, 1 when it does not.
        """,
        [CommonOptions.Config, Sequence, Speed, Duration],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CancellationToken cancellationToken)
    {
        if (args.Positional.Count != 1 || args.Positional[0] is not ("plan" or "simulate"))
        {
            throw new UsageException("shutdown: say 'plan' or 'simulate'");
        }

        AgentConfig config = ConfigResolver.Resolve(args.Value("--config"));
        DriverFactory.Validate(config);
        ShutdownFactory.Validate(config);
        if (args.Positional[0] == "plan")
        {
            ShutdownPlanWriter.Write(config, System.Console.Out);
            return 0;
        }

        string sequence = args.Value("--sequence") is { } file
            ? file.StartsWith("builtin:", StringComparison.Ordinal) ? file : Path.GetFullPath(file)
            : "builtin:outage";
        double speed = Number(args, "--speed", 30, 0.1, 10_000);
        double duration = Number(args, "--duration", 7200, 1, 10 * 86_400);
        System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rehearsing {sequence} at {speed:0.#}x; nothing is started for real"));
        return await ShutdownSimulation.RunAsync(config, sequence, speed, TimeSpan.FromSeconds(duration), System.Console.Out, cancellationToken).ConfigureAwait(false);
    }

    private static double Number(ParsedArguments args, string option, double fallback, double min, double max)
    {
        string? text = args.Value(option);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new UsageException($"shutdown: {option} takes a number from {min} to {max}");
    }
}
