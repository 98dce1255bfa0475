// Every test starts its own servers on free loopback ports in private directories, so methods can run in
// parallel; four workers keep the suite short on a two-core machine without starving the servers.
[assembly: Parallelize(Workers = 4, Scope = ExecutionScope.MethodLevel)]
