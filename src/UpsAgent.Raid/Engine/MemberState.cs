namespace UpsAgent.Raid.Engine;

/// <summary>What the engine may do with a member.</summary>
public enum MemberState
{
    /// <summary>Holds current data in its slot.</summary>
    InSync,

    /// <summary>Holds a slot but is valid only below its recovery offset; written everywhere.</summary>
    Recovering,

    /// <summary>Failed by an I/O error or by command; never read or written again.</summary>
    Faulty,

    /// <summary>Hot spare without a slot; takes over when a member fails.</summary>
    Spare,
}
