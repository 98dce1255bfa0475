namespace UpsAgent.Drivers.Simulated;

/// <summary>What happens at the end of a definition file (dummy-ups' dummy-loop and dummy-once).</summary>
public enum SequenceMode
{
    /// <summary>Start over from the top; the default for .seq files.</summary>
    Loop,

    /// <summary>Play the file once and keep the last values; the default for .dev files.</summary>
    Once,
}
