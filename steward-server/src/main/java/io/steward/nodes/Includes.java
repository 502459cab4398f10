package io.steward.nodes;

import io.steward.engine.ScriptSource;
import io.steward.engine.ScriptText;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script and everything it includes, found statically ({@code include('lib/x.groovy')} with a literal name),
 * so that an agent can run it without a store. An include with a computed name is not found here and fails on the
 * agent with a clear "no script named" error.
 */
final class Includes {
    private static final Pattern INCLUDE = Pattern.compile("include\\s*\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)");

    private Includes() {
    }

    static List<ScriptText> bundle(ScriptText main, ScriptSource scripts) {
        Map<String, ScriptText> found = new LinkedHashMap<>();
        found.put(main.name(), main);
        Deque<ScriptText> todo = new ArrayDeque<>(List.of(main));
        while (!todo.isEmpty()) {
            Matcher m = INCLUDE.matcher(todo.pop().source());
            while (m.find()) {
                String name = m.group(1);
                if (!found.containsKey(name)) {
                    ScriptText included = scripts.load(name);
                    found.put(name, included);
                    todo.push(included);
                }
            }
        }
        return List.copyOf(found.values());
    }
}
