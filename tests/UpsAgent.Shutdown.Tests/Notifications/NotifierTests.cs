using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using UpsAgent.Core.Processes;
using UpsAgent.Shutdown.Notifications;
using UpsAgent.TestKit.Processes;

namespace UpsAgent.Shutdown.Tests.Notifications;

[TestClass]
public sealed class NotifierTests
{
    [TestMethod]
    public async Task The_notify_command_gets_the_message_as_first_argument_and_upsmon_environment()
    {
        var processes = new FakeProcessRunner();
        var notifier = new Notifier(new NotifySettings { Command = "/usr/local/bin/notify.sh --from-ups" }, processes, NullLogger.Instance);
        notifier.Notify(new NotifyEvent(NotifyType.OnBattery, "ups@127.0.0.1:3493", DateTimeOffset.UnixEpoch), CancellationToken.None);
        ProcessSpec exec = processes.Started.Single(p => p.FileName == "/bin/sh");
        Assert.AreEqual("-c", exec.Arguments[0]);
        Assert.AreEqual("/usr/local/bin/notify.sh --from-ups \"$1\"", exec.Arguments[1]);
        Assert.AreEqual("UPS ups@127.0.0.1:3493: mains power lost, running on battery", exec.Arguments[3]);
        Assert.AreEqual("ONBATT", exec.Environment["NOTIFYTYPE"]);
        Assert.AreEqual("ups@127.0.0.1:3493", exec.Environment["UPSNAME"]);
        Assert.IsTrue(processes.Started.Any(p => p.FileName == "wall"));
    }

    [TestMethod]
    public async Task Flags_and_messages_can_be_overridden()
    {
        var processes = new FakeProcessRunner();
        var settings = new NotifySettings
        {
            Command = "notify",
            Flags = new Dictionary<NotifyType, NotifyFlags> { [NotifyType.Online] = NotifyFlags.Ignore, [NotifyType.LowBattery] = NotifyFlags.Exec }.ToImmutableDictionary(),
            Messages = new Dictionary<NotifyType, string> { [NotifyType.LowBattery] = "LOW on %s!" }.ToImmutableDictionary(),
        };
        var notifier = new Notifier(settings, processes, NullLogger.Instance);
        notifier.Notify(new NotifyEvent(NotifyType.Online, "ups", DateTimeOffset.UnixEpoch), CancellationToken.None);
        Assert.IsTrue(processes.Started.IsEmpty);
        notifier.Notify(new NotifyEvent(NotifyType.LowBattery, "ups", DateTimeOffset.UnixEpoch), CancellationToken.None);
        Assert.AreEqual("LOW on ups!", processes.Started.Single().Arguments[3]);
    }

    [TestMethod]
    public void Defaults_follow_upsmon_and_exec_when_a_command_is_set()
    {
        Assert.AreEqual(NotifyFlags.Syslog | NotifyFlags.Wall, new NotifySettings().FlagsFor(NotifyType.OnBattery));
        Assert.AreEqual(NotifyFlags.Syslog, new NotifySettings().FlagsFor(NotifyType.Calibrating));
        Assert.AreEqual(NotifyFlags.Syslog | NotifyFlags.Wall | NotifyFlags.Exec, new NotifySettings { Command = "x" }.FlagsFor(NotifyType.OnBattery));
    }

    [TestMethod]
    public void Every_type_has_a_name_that_parses_back()
    {
        foreach (NotifyType type in Enum.GetValues<NotifyType>())
        {
            Assert.IsTrue(NotifyTypeNames.TryParse(NotifyTypeNames.Name(type), out NotifyType parsed));
            Assert.AreEqual(type, parsed);
            Assert.IsFalse(string.IsNullOrEmpty(NotifyTypeNames.DefaultMessage(type)));
        }
    }

    [TestMethod]
    public async Task A_notify_command_that_hangs_holds_nothing_up()
    {
        var processes = new FakeProcessRunner();
        var hang = new TaskCompletionSource<ProcessResult>();
        processes.Behaviour = (_, _, _) => hang.Task;
        var notifier = new Notifier(new NotifySettings { Command = "slow" }, processes, NullLogger.Instance);
        var before = System.Diagnostics.Stopwatch.StartNew();
        notifier.Notify(new NotifyEvent(NotifyType.Shutdown, string.Empty, DateTimeOffset.UnixEpoch), CancellationToken.None);
        Assert.IsTrue(before.Elapsed < TimeSpan.FromSeconds(1));
        Assert.AreEqual(2, processes.Started.Count, "wall and the notify command were both started");
        Assert.IsFalse(notifier.WhenIdleAsync().IsCompleted);
        hang.SetResult(new ProcessResult(0, false, string.Empty, TimeSpan.Zero));
        await notifier.WhenIdleAsync();
    }
}
