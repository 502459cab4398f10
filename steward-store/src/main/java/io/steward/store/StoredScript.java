package io.steward.store;

import io.steward.engine.ScriptText;

import java.util.Map;

/** One version of a stored script with its source. */
public record StoredScript(ScriptInfo info, String source) {

    public String name() {
        return info.name();
    }

    public int version() {
        return info.version();
    }

    public String sha256() {
        return info.sha256();
    }

    /** What the engine compiles: name, version, source and the hash it caches by. */
    public ScriptText text() {
        return new ScriptText(info.name(), info.version(), source, info.sha256());
    }

    /** {@link ScriptInfo#toMap()} plus {@code source} and {@code deleted}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = info.toMap();
        map.put("source", source);
        map.put("deleted", info.deleted());
        return map;
    }
}
