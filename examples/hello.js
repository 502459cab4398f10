// The same in JavaScript: the host object's members are plain globals.
shared.put('greeting', 'hello, ' + (args.who || 'world'));
log.info('running on ' + node.name + ' with ' + node.cpus + ' CPUs');
({ greeting: shared.get('greeting'), runId: runId });
