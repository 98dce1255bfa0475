namespace UpsAgent.Raid.Metadata;

/// <summary>v1.x feature_map bits (md_p.h; spec raid.md §1).</summary>
[Flags]
public enum MdFeatures : uint
{
    None = 0,
    BitmapOffset = 1,
    RecoveryOffset = 2,
    ReshapeActive = 4,
    BadBlocks = 8,
    Replacement = 16,
    ReshapeBackwards = 32,
    NewOffset = 64,
    RecoveryBitmap = 128,
    Clustered = 256,
    Journal = 512,
    Ppl = 1024,
    MultiplePpls = 2048,
    Raid0Layout = 4096,
    All = 8191,
}
