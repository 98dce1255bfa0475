using System.IO.Pipelines;

namespace UpsAgent.Servers.Transport;

/// <summary>A reader and a writer that together form one side of a connection.</summary>
public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
