package io.steward.coordinator;

import io.steward.engine.ScriptText;

/**
 * What the parent run of a fan-out executes: {@code runOn} with the request's selector and options. Being a script
 * run like any other, the parent gets events, persistence, cancel (which reaches its children through runOn's
 * interruption) and a status value {@code children} counting them per state, for nothing.
 */
final class FanOutScript {
    static final ScriptText TEXT = new ScriptText("_steward/fanout.groovy", """
            // The parent of a fan-out: one child run of the script per selected node.
            // Its options are published as a status value, so clients see (and can repeat) what was asked.
            status.set('fanOut', fanout.subMap(['on', 'parallel', 'failFast', 'allowEmpty']))
            runOn(fanout.on, fanout.script, args, fanout)
            """);

    private FanOutScript() {
    }
}
