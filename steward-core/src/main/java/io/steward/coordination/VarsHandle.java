package io.steward.coordination;

import java.util.List;

/**
 * {@code vars} in a script: the variables of one scope ({@code global} unless chosen), read and written as JSON
 * values. {@code vars.node} is this node's scope, {@code vars.scope('node:web-1')} another's.
 */
public final class VarsHandle {
    private final Party party;
    private final String scope;

    public VarsHandle(Party party, String scope) {
        this.party = party;
        this.scope = CoordinationNames.checkScope(scope);
    }

    public String getScopeName() {
        return scope;
    }

    /** The value, or null when absent. */
    public Object get(String name) {
        Journal.StoredVar v = party.coordination().vars().get(scope, name);
        return v == null ? null : v.value();
    }

    public Object get(String name, Object fallback) {
        Journal.StoredVar v = party.coordination().vars().get(scope, name);
        return v == null ? fallback : v.value();
    }

    public void put(String name, Object value) {
        party.coordination().vars().put(scope, name, value, 0);
    }

    /** With a time to live: the variable disappears {@code ttlMs} after this put. */
    public void put(String name, Object value, long ttlMs) {
        party.coordination().vars().put(scope, name, value, ttlMs);
    }

    /** Sets {@code name} to {@code value} only if it holds {@code expected} now (null: only if absent). */
    public boolean cas(String name, Object expected, Object value) {
        return party.coordination().vars().compareAndSet(scope, name, expected, value, 0) != null;
    }

    public boolean remove(String name) {
        return party.coordination().vars().remove(scope, name);
    }

    public List<String> keys() {
        return party.coordination().vars().list(scope).stream().map(Journal.StoredVar::name).toList();
    }

    /** This node's scope ({@code node:NAME}). */
    public VarsHandle getNode() {
        return new VarsHandle(party, "node:" + party.node());
    }

    public VarsHandle scope(String name) {
        return new VarsHandle(party, name);
    }

    @Override
    public String toString() {
        return "vars(" + scope + ")";
    }
}
