using UpsAgent.Configuration;
using UpsAgent.Servers.Nut;

namespace UpsAgent.Hosting;

/// <summary>Turns [user NAME] sections into upsd.users-style rights.</summary>
public static class UserTableFactory
{
    public static NutUserTable Create(AgentConfig config)
    {
        var users = new List<NutUser>();
        foreach (UserSettings settings in config.Users)
        {
            NutAction actions = NutAction.None;
            foreach (string word in settings.Actions)
            {
                if (!NutUser.TryParseAction(word, out NutAction action))
                {
                    throw settings.Section.Error($"unknown action '{word}'");
                }

                actions |= action;
            }

            NutUpsmonRole role = NutUpsmonRole.None;
            if (settings.UpsmonRole is not null && !NutUser.TryParseUpsmonRole(settings.UpsmonRole, out role))
            {
                throw settings.Section.Error($"unknown upsmon role '{settings.UpsmonRole}'");
            }

            users.Add(new NutUser(
                settings.Name,
                PasswordVerifier.Parse(settings.Password ?? string.Empty),
                actions,
                settings.InstantCommands,
                role));
        }

        return new NutUserTable(users);
    }
}
