// A pretend deployment: parallel script threads, local processes, status values and progress.
include('lib/steps.groovy')

def hosts = args.hosts ?: ['web-1', 'web-2', 'web-3', 'web-4']
status.set('phase', 'build')
status.progress(0.1, 'building')
def build = step('build') { exec('echo compiling; sleep 0.3; echo built', check: true) }

status.set('phase', 'rollout')
def done = Collections.synchronizedList([])
def results = parallel(hosts) { host ->
    def r = exec(['sh', '-c', 'sleep 0.$((RANDOM % 5 + 2)); echo "$1 is up"', 'sh', host])
    synchronized (done) {   // count and report together, so progress never runs backwards
        done << host
        status.progress(0.1 + 0.9 * done.size() / hosts.size(), "rolled out ${done.size()}/${hosts.size()}")
    }
    shared.put(host, r.stdout.trim())
    r.exitCode
}
status.set('phase', 'done')
[built: build.exitCode == 0, hosts: hosts.size(), failures: results.count { it != 0 }]
