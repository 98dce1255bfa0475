namespace UpsAgent.Backup.Iso9660;

/// <summary>The POSIX file type of a source entry; it decides the RRIP PX type bits and what the ISO record holds.</summary>
public enum SourceKind
{
    File,
    Directory,
    Symlink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
