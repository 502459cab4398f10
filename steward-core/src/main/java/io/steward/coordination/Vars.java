package io.steward.coordination;

import io.steward.engine.JsonValues;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Global variables: named JSON values in scopes ({@code global}, {@code node:NAME}), each with a version that grows
 * with every change (for compare-and-set) and an optional time to live. Every change is stored before it is seen;
 * reads come from memory. An expired variable reads as absent at once and leaves the store at the next sweep.
 */
public final class Vars {
    private final Journal journal;
    private final LongSupplier clock;
    private final Map<String, Map<String, Journal.StoredVar>> scopes = new TreeMap<>();

    Vars(Journal journal, LongSupplier clock) {
        this.journal = journal;
        this.clock = clock;
        for (Journal.StoredVar v : journal.vars()) {
            scopes.computeIfAbsent(v.scope(), s -> new TreeMap<>()).put(v.name(), v);
        }
    }

    /** The variable, or null when it is absent or expired. */
    public synchronized Journal.StoredVar get(String scope, String name) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
        Journal.StoredVar v = scopes.getOrDefault(scope, Map.of()).get(name);
        return v == null || expired(v) ? null : v;
    }

    /** Sets a variable; {@code ttlMs} 0 keeps it until removed. Returns the stored variable (with its new version). */
    public synchronized Journal.StoredVar put(String scope, String name, Object value, long ttlMs) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        return store(scope, name, v, ttlMs);
    }

    /**
     * Sets a variable only if its current value equals {@code expected} (null: only if it is absent). Values compare
     * as JSON: {@code 1} and {@code 1.0}, or maps with keys in another order, are equal only as JSON says.
     * Returns the stored variable, or null when the value was something else.
     */
    public synchronized Journal.StoredVar compareAndSet(String scope, String name, Object expected, Object value, long ttlMs) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
        Object want = JsonValues.copy("the expected value", expected);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Journal.StoredVar current = get(scope, name);
        if (!Objects.equals(current == null ? null : current.value(), want) || (want == null && current != null)) {
            return null;
        }
        return store(scope, name, v, ttlMs);
    }

    /**
     * Sets a variable only if its version is {@code version} (0: only if it is absent), the API's form of
     * compare-and-set. Returns the stored variable, or null when the version was another.
     */
    public synchronized Journal.StoredVar setIfVersion(String scope, String name, long version, Object value, long ttlMs) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
        Object v = JsonValues.copy("variable '" + name + "'", value);
        Journal.StoredVar current = get(scope, name);
        long now = current == null ? 0 : current.version();
        return now == version ? store(scope, name, v, ttlMs) : null;
    }

    private Journal.StoredVar store(String scope, String name, Object value, long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("variable '" + name + "': ttl must be 0 (none) or more milliseconds, not " + ttlMs);
        }
        Journal.StoredVar current = scopes.getOrDefault(scope, Map.of()).get(name);
        long version = current == null ? 1 : current.version() + 1;
        Journal.StoredVar next = new Journal.StoredVar(scope, name, value, version,
                ttlMs == 0 ? null : clock.getAsLong() + ttlMs);
        journal.putVar(next);
        scopes.computeIfAbsent(scope, s -> new TreeMap<>()).put(name, next);
        return next;
    }

    /** Removes a variable; false when it was absent (or had expired). */
    public synchronized boolean remove(String scope, String name) {
        CoordinationNames.checkScope(scope);
        CoordinationNames.check("variable", name);
        Map<String, Journal.StoredVar> vars = scopes.get(scope);
        Journal.StoredVar v = vars == null ? null : vars.get(name);
        if (v == null) {
            return false;
        }
        journal.removeVar(scope, name);
        vars.remove(name);
        if (vars.isEmpty()) {
            scopes.remove(scope);
        }
        return !expired(v);
    }

    /** The live variables of a scope, by name; every scope's when {@code scope} is null. */
    public synchronized List<Journal.StoredVar> list(String scope) {
        if (scope != null) {
            CoordinationNames.checkScope(scope);
        }
        List<Journal.StoredVar> out = new ArrayList<>();
        scopes.forEach((s, vars) -> {
            if (scope == null || scope.equals(s)) {
                vars.values().stream().filter(v -> !expired(v)).forEach(out::add);
            }
        });
        return out;
    }

    /** Removes expired variables from memory and the store; returns how many. */
    public synchronized int sweep() {
        int removed = 0;
        for (Iterator<Map.Entry<String, Map<String, Journal.StoredVar>>> s = scopes.entrySet().iterator(); s.hasNext(); ) {
            Map<String, Journal.StoredVar> vars = s.next().getValue();
            for (Iterator<Journal.StoredVar> it = vars.values().iterator(); it.hasNext(); ) {
                Journal.StoredVar v = it.next();
                if (expired(v)) {
                    journal.removeVar(v.scope(), v.name());
                    it.remove();
                    removed++;
                }
            }
            if (vars.isEmpty()) {
                s.remove();
            }
        }
        return removed;
    }

    private boolean expired(Journal.StoredVar v) {
        return v.expiresAt() != null && v.expiresAt() <= clock.getAsLong();
    }

    /** A variable as the API and the CLI show it. */
    public static Map<String, Object> view(Journal.StoredVar v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scope", v.scope());
        m.put("name", v.name());
        m.put("value", v.value());
        m.put("version", v.version());
        m.put("expiresAt", v.expiresAt() == null ? null : java.time.Instant.ofEpochMilli(v.expiresAt()).toString());
        return m;
    }
}
