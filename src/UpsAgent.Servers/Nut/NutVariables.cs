using UpsAgent.Core.Names;
using UpsAgent.Core.State;

namespace UpsAgent.Servers.Nut;

/// <summary>The variables of a snapshot as NUT clients see them.</summary>
internal static class NutVariables
{
    // upsd itself sets ups.status to WAIT while it waits for a driver's first dump.
    private static readonly UpsVariable WaitingStatus = new(NutNames.UpsStatus, "WAIT");

    public static UpsVariable? Find(UpsState state, string name)
    {
        UpsVariable? variable = state.Find(name);
        if (variable is null && state.DataState == UpsDataState.Waiting
            && string.Equals(name, NutNames.UpsStatus, StringComparison.OrdinalIgnoreCase))
        {
            return WaitingStatus;
        }

        return variable;
    }

    public static IEnumerable<UpsVariable> All(UpsState state)
    {
        if (state.DataState == UpsDataState.Waiting && state.Find(NutNames.UpsStatus) is null)
        {
            return state.Variables.Append(WaitingStatus).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase);
        }

        return state.Variables;
    }
}
