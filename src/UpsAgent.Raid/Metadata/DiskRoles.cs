namespace UpsAgent.Raid.Metadata;

/// <summary>Special dev_roles[] values; anything below <see cref="RoleMax"/> is a slot in the array.</summary>
public static class DiskRoles
{
    public const ushort Spare = 0xffff;
    public const ushort Faulty = 0xfffe;
    public const ushort Journal = 0xfffd;
    public const ushort RoleMax = 0xff00;

    public static string Describe(ushort role) => role switch
    {
        Spare => "spare",
        Faulty => "faulty",
        Journal => "journal",
        < RoleMax => $"active device {role}",
        _ => $"unknown role 0x{role:x4}",
    };
}
