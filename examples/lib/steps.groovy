// Helpers shared by the example scripts through include('lib/steps.groovy').
step = { String name, Closure body ->
    status.event('step-started', [step: name])
    def value = body()
    status.event('step-done', [step: name])
    value
}
