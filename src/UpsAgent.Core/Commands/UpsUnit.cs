using UpsAgent.Core.State;

namespace UpsAgent.Core.Commands;

/// <summary>One configured UPS: its state store and the driver that accepts commands for it.</summary>
public sealed class UpsUnit(UpsStateStore store, IUpsCommandTarget commands)
{
    public string Name => Store.Name;

    public UpsStateStore Store { get; } = store;

    public IUpsCommandTarget Commands { get; } = commands;

    public UpsState Current => Store.Current;
}
