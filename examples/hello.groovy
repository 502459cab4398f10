// The smallest useful script: read an argument, publish shared data, return a result.
shared.put('greeting', "hello, ${args.who ?: 'world'}")
log.info("running on ${node.name} with ${node.cpus} CPUs")
[greeting: shared.get('greeting'), runId: runId]
