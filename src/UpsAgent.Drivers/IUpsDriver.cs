using UpsAgent.Core.Commands;

namespace UpsAgent.Drivers;

/// <summary>
/// One driver per UPS, with one life-cycle: construct it with the UPS's state writer, run it until
/// cancelled (it publishes data and marks staleness), and route SET/INSTCMD to it meanwhile.
/// When <see cref="RunAsync"/> returns, the driver has marked its UPS disconnected.
/// </summary>
public interface IUpsDriver : IUpsCommandTarget
{
    Task RunAsync(CancellationToken cancellationToken);
}
