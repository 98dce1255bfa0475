namespace UpsAgent.Raid.Geometry;

/// <summary>md's ALGORITHM_* numbers for RAID 4/5/6 (the superblock's layout field).</summary>
public enum ParityAlgorithm
{
    LeftAsymmetric = 0,
    RightAsymmetric = 1,
    LeftSymmetric = 2,
    RightSymmetric = 3,
    ParityFirst = 4,
    ParityLast = 5,
    LeftAsymmetric6 = 16,
    RightAsymmetric6 = 17,
    LeftSymmetric6 = 18,
    RightSymmetric6 = 19,
    ParityFirst6 = 20,
}
