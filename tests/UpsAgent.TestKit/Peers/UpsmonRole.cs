namespace UpsAgent.TestKit.Peers;

public enum UpsmonRole
{
    None,
    Primary,
    Secondary,
}
