using UpsAgent.Core.Processes;
using UpsAgent.Shutdown.Execution;

namespace UpsAgent.Shutdown.Tests.Execution;

[TestClass]
public sealed class SystemProcessRunnerTests
{
    [TestMethod]
    public async Task Runs_a_shell_command_with_arguments_and_environment()
    {
        ProcessSpec spec = ProcessSpec.Shell("printf '%s|%s' \"$NOTIFYTYPE\"", "a message with \"quotes\" and $dollars") with
        {
            Environment = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty.Add("NOTIFYTYPE", "ONBATT"),
        };
        ProcessResult result = await new SystemProcessRunner().RunAsync(spec, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.IsTrue(result.Succeeded, result.Output);
        Assert.AreEqual("ONBATT|a message with \"quotes\" and $dollars", result.Output.Trim());
    }

    [TestMethod]
    public async Task A_program_past_its_limit_is_killed()
    {
        ProcessResult result = await new SystemProcessRunner().RunAsync(ProcessSpec.Shell("sleep 30"), TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.IsTrue(result.TimedOut);
        Assert.IsTrue(result.Duration < TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task A_missing_program_is_exit_code_127()
    {
        ProcessResult result = await new SystemProcessRunner().RunAsync(new ProcessSpec("/nonexistent/notify", []), TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.AreEqual(127, result.ExitCode);
        StringAssert.Contains(result.Output, "/nonexistent/notify");
    }
}
