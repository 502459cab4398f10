package io.steward.engine.js;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A read-only JavaScript object over host members ({@code log}, {@code status}, a thread or process handle):
 * its members are host functions, fixed values, or getters read afresh on every access.
 */
final class HostProxy implements ProxyObject {
    private final Map<String, Object> members = new LinkedHashMap<>();

    HostProxy member(String name, Object value) {
        members.put(name, value);
        return this;
    }

    HostProxy getter(String name, Supplier<Object> getter) {
        members.put(name, getter);
        return this;
    }

    @Override
    public Object getMember(String key) {
        Object value = members.get(key);
        return value instanceof Supplier<?> getter ? getter.get() : value;
    }

    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromArray(members.keySet().toArray());
    }

    @Override
    public boolean hasMember(String key) {
        return members.containsKey(key);
    }

    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("'" + key + "' cannot be set: this object belongs to Steward");
    }

    @Override
    public boolean removeMember(String key) {
        throw new UnsupportedOperationException("'" + key + "' cannot be removed: this object belongs to Steward");
    }
}
