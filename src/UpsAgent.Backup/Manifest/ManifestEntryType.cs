namespace UpsAgent.Backup.Manifest;

/// <summary>The type letters of a manifest line, as ls(1) prints them.</summary>
public enum ManifestEntryType
{
    File = 'f',
    Directory = 'd',
    Symlink = 'l',
    CharacterDevice = 'c',
    BlockDevice = 'b',
    Fifo = 'p',
    Socket = 's',
}
