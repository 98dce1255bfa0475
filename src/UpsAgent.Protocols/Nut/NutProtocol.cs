namespace UpsAgent.Protocols.Nut;

/// <summary>Fixed numbers of the NUT network protocol as upsd 2.8.0 speaks it.</summary>
public static class NutProtocol
{
    /// <summary>IANA port for NUT.</summary>
    public const int DefaultPort = 3493;

    /// <summary>NETVER / PROTVER answer of upsd 2.8.0.</summary>
    public const string NetworkVersion = "1.3";

    /// <summary>parseconf's PCONF_DEFAULT_WORDLEN_LIMIT: longer words are cut silently.</summary>
    public const int MaxWordLength = 512;

    /// <summary>parseconf's PCONF_DEFAULT_ARG_LIMIT: words beyond this many are dropped silently.</summary>
    public const int MaxWords = 32;

    /// <summary>
    /// upsd formats each reply into a 513-byte buffer and libupsclient reads into 512 bytes, so a
    /// reply line including its LF must stay below 512 bytes.
    /// </summary>
    public const int MaxReplyLineBytes = 511;
}
