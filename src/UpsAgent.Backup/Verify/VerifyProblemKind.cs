namespace UpsAgent.Backup.Verify;

public enum VerifyProblemKind
{
    /// <summary>A block could not be read (I/O error) or lies past the end of the medium.</summary>
    Unreadable,

    /// <summary>The descriptors, path tables or directories differ from what the catalog recorded at write time.</summary>
    MetadataChanged,

    /// <summary>The volume descriptors or a directory cannot be parsed any more.</summary>
    Structure,

    /// <summary>The manifest on the disc is missing, damaged or differs from the catalog's copy.</summary>
    Manifest,

    /// <summary>A file's bytes hash differently from the manifest.</summary>
    ContentChanged,

    /// <summary>Type, size, mode, owner, time or link target differ from the manifest.</summary>
    AttributesChanged,

    /// <summary>In the manifest, not found on the disc.</summary>
    Missing,

    /// <summary>On the disc, not in the manifest.</summary>
    Unexpected,

    /// <summary>A Joliet record does not point at the data of a Rock Ridge file of the same size.</summary>
    JolietMismatch,
}
