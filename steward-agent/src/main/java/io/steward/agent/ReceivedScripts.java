package io.steward.agent;

import io.steward.engine.ScriptNotFoundException;
import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;

import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The agent's script source: the scripts that arrived with {@code run} messages (each run's script and everything
 * it includes), so that the agent needs no store. Kept by name and version; "latest" is the highest version
 * received, which is what an {@code include} without a version gets. A primary that sends version 0 (no store)
 * overwrites the previous text of that name.
 */
final class ReceivedScripts implements ScriptSource {
    private final Map<String, NavigableMap<Integer, ScriptText>> byName = new ConcurrentHashMap<>();

    void add(Collection<ScriptText> scripts) {
        for (ScriptText text : scripts) {
            byName.computeIfAbsent(text.name(), n -> new ConcurrentSkipListMap<>()).put(text.version(), text);
        }
    }

    @Override
    public ScriptText load(String name) {
        return load(name, 0);
    }

    @Override
    public ScriptText load(String name, int version) {
        NavigableMap<Integer, ScriptText> versions = byName.get(name);
        if (versions == null || versions.isEmpty()) {
            throw new ScriptNotFoundException(name, "no script named '" + name + "' came with the run");
        }
        if (version <= 0) {
            return versions.lastEntry().getValue();
        }
        ScriptText text = versions.get(version);
        if (text == null) {
            throw new ScriptNotFoundException(name, "version " + version + " of '" + name + "' did not come with the run");
        }
        return text;
    }
}
