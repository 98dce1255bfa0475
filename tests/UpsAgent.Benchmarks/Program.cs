using System.Net;
using System.Net.Sockets;
using UpsAgent.Benchmarks;

// One event-loop thread runs every client connection: socket continuations run inline on the epoll thread
// instead of hopping to the thread pool. The runtime reads this once, when its socket engine starts, so set
// it, start the engine, and clear it again so the servers we launch do not inherit it.
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
{
    probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    probe.Listen();
    var pending = probe.AcceptAsync();
    probe.Close();
    try
    {
        await pending;
    }
    catch (SocketException)
    {
    }
    catch (ObjectDisposedException)
    {
    }
}
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", null);

if (args.Length > 0 && args[0] == "raid")
{
    return RaidBenchmark.Run(args);
}

if (args.Length > 0 && args[0] == "iso")
{
    var (isoOptions, isoError) = IsoBenchOptions.Parse(args);
    if (isoOptions is null)
    {
        Console.Error.WriteLine(isoError);
        Console.Error.WriteLine(IsoBenchOptions.Usage);
        return 2;
    }
    return IsoBenchmark.Run(isoOptions);
}

if (args.Length > 0 && args[0] == "shutdown")
{
    var (shutdownOptions, shutdownError) = ShutdownBenchOptions.Parse(args);
    if (shutdownOptions is null)
    {
        Console.Error.WriteLine(shutdownError);
        Console.Error.WriteLine(ShutdownBenchOptions.Usage);
        return 2;
    }
    return await ShutdownBenchmark.RunAsync(shutdownOptions);
}

if (args.Length > 0 && args[0] == "snmp")
{
    var (snmpOptions, snmpError) = SnmpBenchOptions.Parse(args);
    if (snmpOptions is null)
    {
        Console.Error.WriteLine(snmpError);
        Console.Error.WriteLine(SnmpBenchOptions.Usage);
        return 2;
    }
    return await SnmpBenchmark.RunAsync(snmpOptions);
}

var (options, error) = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(ShutdownBenchOptions.Usage);
    Console.Error.WriteLine(IsoBenchOptions.Usage);
    return 2;
}
return await NutBenchmark.RunAsync(options);
