using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Processes;
using UpsAgent.Shutdown.Execution;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.Shutdown.Policy;
using UpsAgent.TestKit.Processes;
using UpsAgent.TestKit.Timing;

namespace UpsAgent.Shutdown.Tests.Execution;

[TestClass]
public sealed class ShutdownExecutorTests
{
    private sealed class FakeChannel(string ups, Func<int?> secondaries) : IFsdChannel
    {
        public string Ups { get; } = ups;

        public int FsdCalls;

        public Task<bool> SetForcedShutdownAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref FsdCalls);
            return Task.FromResult(true);
        }

        public Task<int?> CountSecondariesAsync(CancellationToken cancellationToken) => Task.FromResult(secondaries());
    }

    private static ShutdownDecision Decision(params string[] fsdOn) =>
        new(TimeSpan.Zero, ShutdownReason.LowBattery, "ups", "on battery and low battery", [.. fsdOn]);

    private static (ShutdownExecutor Executor, List<string> Steps, FakeProcessRunner Processes, List<NotifyType> Notified) Build(
        ExecutorSettings settings, IReadOnlyList<IFsdChannel> channels, IReadOnlyList<ShutdownHook> hooks, FakeClock clock)
    {
        var processes = new FakeProcessRunner();
        var notifier = new Notifier(new NotifySettings(), processes, NullLogger.Instance);
        var notified = new List<NotifyType>();
        notifier.Delivered += (e, _) => notified.Add(e.Type);
        var executor = new ShutdownExecutor(settings, channels, hooks, notifier, processes, clock, NullLogger.Instance);
        var steps = new List<string>();
        executor.Step += (_, text) => steps.Add(text);
        return (executor, steps, processes, notified);
    }

    /// <summary>Runs the executor while moving the fake clock in small steps, bounded.</summary>
    private static async Task Drive(Task work, FakeClock clock, int maxSteps = 10_000)
    {
        for (int i = 0; i < maxSteps && !work.IsCompleted; i++)
        {
            await Task.Delay(1);
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.IsTrue(work.IsCompleted, "the executor did not finish");
        await work;
    }

    [TestMethod]
    public async Task Primary_sets_fsd_waits_for_secondaries_then_hooks_delay_flag_and_command_in_order()
    {
        var clock = new FakeClock();
        int secondaries = 2;
        var channel = new FakeChannel("ups", () => secondaries);
        var order = new ConcurrentQueue<string>();
        ShutdownHook[] hooks =
        [
            new("raid", TimeSpan.FromSeconds(5), _ => { order.Enqueue("raid"); return Task.CompletedTask; }),
            new("backup", TimeSpan.FromSeconds(5), _ => { order.Enqueue("backup"); return Task.CompletedTask; }),
        ];
        string flag = Path.Combine(Path.GetTempPath(), "upsagent-flag-" + Guid.NewGuid().ToString("N"));
        var settings = new ExecutorSettings { ShutdownCommand = "/sbin/poweroff", PowerDownFlagPath = flag, HostSync = TimeSpan.FromSeconds(15), FinalDelay = TimeSpan.FromSeconds(5) };
        var (executor, steps, processes, notified) = Build(settings, [channel], hooks, clock);
        Task run = executor.ExecuteAsync(Decision("ups"), CancellationToken.None);
        for (int i = 0; i < 100 && !steps.Any(s => s.StartsWith("FSD set", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(5);
        }

        secondaries = 0;
        await Drive(run, clock);

        Assert.AreEqual(1, channel.FsdCalls);
        CollectionAssert.AreEqual(new[] { "raid", "backup" }, order.ToArray());
        CollectionAssert.AreEqual(new[] { NotifyType.ShutdownHostSync, NotifyType.Shutdown }, notified);
        Assert.IsTrue(PowerDownFlag.IsSet(flag));
        File.Delete(flag);
        ProcessSpec command = processes.Started.Single(p => p.FileName == "/bin/sh");
        Assert.AreEqual("/sbin/poweroff", command.Arguments[1]);
        int Index(string prefix) => steps.FindIndex(s => s.StartsWith(prefix, StringComparison.Ordinal));
        Assert.IsTrue(Index("FSD set") < Index("all secondaries") && Index("all secondaries") < Index("SHUTDOWN") && Index("SHUTDOWN") < Index("hook raid")
            && Index("hook backup: done") < Index("final delay") && Index("final delay") < Index("power-down flag") && Index("power-down flag") < Index("running shutdown command"),
            string.Join("\n", steps));
    }

    [TestMethod]
    public async Task Host_sync_expires_when_secondaries_stay()
    {
        var clock = new FakeClock();
        var (executor, steps, _, _) = Build(new ExecutorSettings { HostSync = TimeSpan.FromSeconds(15), FinalDelay = TimeSpan.Zero }, [new FakeChannel("ups", () => 1)], [], clock);
        TimeSpan start = clock.Elapsed;
        await Drive(executor.ExecuteAsync(Decision("ups"), CancellationToken.None), clock);
        Assert.IsTrue(steps.Any(s => s.Contains("host-sync 15 s expired with 1", StringComparison.Ordinal)), string.Join("\n", steps));
        Assert.IsTrue(clock.Elapsed - start >= TimeSpan.FromSeconds(15));
    }

    [TestMethod]
    public async Task Failing_and_hanging_hooks_do_not_block_the_shutdown()
    {
        var clock = new FakeClock();
        bool lastRan = false;
        ShutdownHook[] hooks =
        [
            new("throws", TimeSpan.FromSeconds(5), _ => throw new InvalidOperationException("broken hook")),
            new("faults", TimeSpan.FromSeconds(5), _ => Task.FromException(new IOException("disk gone"))),
            new("hangs", TimeSpan.FromSeconds(5), _ => new TaskCompletionSource().Task),
            new("last", TimeSpan.FromSeconds(5), _ => { lastRan = true; return Task.CompletedTask; }),
        ];
        var (executor, steps, processes, _) = Build(new ExecutorSettings { ShutdownCommand = "halt", FinalDelay = TimeSpan.Zero }, [], hooks, clock);
        await Drive(executor.ExecuteAsync(Decision(), CancellationToken.None), clock);
        Assert.IsTrue(lastRan);
        StringAssert.Contains(string.Join("\n", steps), "hook throws: failed: broken hook");
        StringAssert.Contains(string.Join("\n", steps), "hook faults: failed: disk gone");
        StringAssert.Contains(string.Join("\n", steps), "hook hangs: time limit reached");
        Assert.AreEqual(1, processes.Started.Count(p => p.FileName == "/bin/sh"));
    }

    [TestMethod]
    public async Task Without_a_shutdown_command_nothing_is_run_and_a_dry_run_says_why()
    {
        var clock = new FakeClock();
        var (executor, steps, processes, notified) = Build(new ExecutorSettings { FinalDelay = TimeSpan.Zero }, [], [], clock);
        await Drive(executor.ExecuteAsync(Decision(), CancellationToken.None), clock);
        Assert.IsFalse(processes.Started.Any(p => p.FileName == "/bin/sh"));
        StringAssert.Contains(steps[^1], "no shutdown command configured");
        CollectionAssert.Contains(notified, NotifyType.Shutdown);

        var (dry, drySteps, dryProcesses, _) = Build(new ExecutorSettings { ShutdownCommand = "poweroff", DryRunReason = "every UPS is simulated", FinalDelay = TimeSpan.Zero }, [], [], clock);
        await Drive(dry.ExecuteAsync(Decision(), CancellationToken.None), clock);
        Assert.IsFalse(dryProcesses.Started.Any(p => p.FileName == "/bin/sh"));
        StringAssert.Contains(drySteps[^1], "every UPS is simulated");
    }

    [TestMethod]
    public async Task A_second_decision_is_ignored()
    {
        var clock = new FakeClock();
        var (executor, steps, processes, _) = Build(new ExecutorSettings { ShutdownCommand = "halt", FinalDelay = TimeSpan.Zero }, [], [], clock);
        await Drive(executor.ExecuteAsync(Decision(), CancellationToken.None), clock);
        await executor.ExecuteAsync(Decision(), CancellationToken.None);
        Assert.AreEqual(1, processes.Started.Count(p => p.FileName == "/bin/sh"));
        StringAssert.Contains(steps[^1], "already under way");
    }

    [TestMethod]
    public void The_power_down_flag_is_only_cleared_when_it_is_ours()
    {
        string path = Path.Combine(Path.GetTempPath(), "upsagent-flag-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, "something else\n");
        Assert.IsFalse(PowerDownFlag.ClearStale(path));
        Assert.IsTrue(File.Exists(path));
        PowerDownFlag.Write(path);
        Assert.IsTrue(PowerDownFlag.ClearStale(path));
        Assert.IsFalse(File.Exists(path));
    }
}
