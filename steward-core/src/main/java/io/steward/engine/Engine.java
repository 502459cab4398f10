package io.steward.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the script languages and compiles scripts, caching compiled code by content hash so that a second
 * run of the same source does not compile it again.
 *
 * <p>The cache keeps at most {@code capacity} scripts and forgets the least recently used; a forgotten
 * Groovy script's classes can then be unloaded because each compiled script has its own class loader.
 */
public final class Engine {
    private final Map<String, ScriptLanguage> byExtension;
    private final Map<String, CompiledScript> cache;
    /** One lock per key while it compiles, so that concurrent first runs compile it once. */
    private final Map<String, Object> compiling = new ConcurrentHashMap<>();
    private final AtomicLong compilations = new AtomicLong();

    public Engine() {
        this(512);
    }

    public Engine(int capacity) {
        Map<String, ScriptLanguage> languages = new LinkedHashMap<>();
        for (ScriptLanguage language : ServiceLoader.load(ScriptLanguage.class, Engine.class.getClassLoader())) {
            languages.putIfAbsent(language.extension(), language);
        }
        if (languages.isEmpty()) {
            throw new IllegalStateException("no script language found: META-INF/services/"
                    + ScriptLanguage.class.getName() + " is missing from the class path");
        }
        this.byExtension = Map.copyOf(languages);
        this.cache = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompiledScript> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The extensions of every known language, such as {@code .groovy} and {@code .js}. */
    public Set<String> extensions() {
        return new TreeSet<>(byExtension.keySet());
    }

    public List<ScriptLanguage> languages() {
        return new ArrayList<>(byExtension.values());
    }

    /** The language of a script name, by its extension. */
    public ScriptLanguage languageOf(String scriptName) {
        ScriptLanguage language = byExtension.get(ScriptText.extensionOf(scriptName));
        if (language == null) {
            throw new IllegalArgumentException("no script language for '" + scriptName + "': use one of " + extensions());
        }
        return language;
    }

    /**
     * The compiled form of a script, compiled now or taken from the cache.
     *
     * @throws ScriptCompileException when it does not compile
     */
    public CompiledScript compile(ScriptText text) {
        ScriptLanguage language = languageOf(text.name());
        // The name is part of the key: error messages and stack traces name the script they were compiled as.
        String key = language.id() + ':' + text.name() + ':' + text.sha256();
        CompiledScript compiled = cache.get(key);
        if (compiled != null) {
            return compiled;
        }
        Object lock = compiling.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                compiled = cache.get(key);
                if (compiled == null) {
                    compiled = language.compile(text);
                    compilations.incrementAndGet();
                    cache.put(key, compiled);
                }
                return compiled;
            }
        } finally {
            compiling.remove(key, lock);
        }
    }

    /** How many times a script was actually compiled (not served from the cache). */
    public long compilations() {
        return compilations.get();
    }
}
