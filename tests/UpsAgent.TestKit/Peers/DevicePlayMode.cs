namespace UpsAgent.TestKit.Peers;

/// <summary>How a device file is played: once and stay on the last step, or round and round.</summary>
public enum DevicePlayMode
{
    Once,
    Loop,
}
