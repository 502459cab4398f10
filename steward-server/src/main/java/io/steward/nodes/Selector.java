package io.steward.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which nodes a request means: {@code all}; a node name; a glob ({@code web-*}, {@code db-?}); labels
 * ({@code role=web,env=prod}, all of which must hold); or a comma list of these. Names and globs add nodes; label
 * terms together add the nodes that carry every one of them.
 */
public record Selector(String text, boolean all, List<String> names, List<Pattern> globs, Map<String, String> labels) {

    /** @throws IllegalArgumentException naming what is wrong with the text */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a node selector is required: a name, a glob (web-*), labels (role=web), or all");
        }
        boolean all = false;
        List<String> names = new ArrayList<>();
        List<Pattern> globs = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String raw : text.split(",")) {
            String term = raw.strip();
            if (term.isEmpty()) {
                throw new IllegalArgumentException("the selector '" + text + "' has an empty term between commas");
            }
            if (term.equals("all") || term.equals("*")) {
                all = true;
            } else if (term.contains("=")) {
                String key = term.substring(0, term.indexOf('=')).strip();
                String value = term.substring(term.indexOf('=') + 1).strip();
                if (key.isEmpty() || value.isEmpty() || value.contains("=")) {
                    throw new IllegalArgumentException("the label term '" + term + "' must look like key=value");
                }
                labels.put(key, value);
            } else if (!term.matches("[A-Za-z0-9_.*?\\-]+")) {
                throw new IllegalArgumentException("the selector term '" + term
                        + "' is not a node name, glob or label: names use letters, digits, '-', '_' and '.'");
            } else if (term.contains("*") || term.contains("?")) {
                globs.add(Pattern.compile(term.replace(".", "\\.").replace("*", ".*").replace("?", ".")));
            } else {
                names.add(term);
            }
        }
        return new Selector(text, all, List.copyOf(names), List.copyOf(globs), Map.copyOf(labels));
    }

    /**
     * The nodes this selector picks from {@code nodes} (name → labels), in the given order.
     *
     * @throws IllegalArgumentException for a label key no node has, or when nothing matches and empty is not allowed
     */
    public List<String> select(Map<String, Map<String, String>> nodes, boolean allowEmpty) {
        for (String key : labels.keySet()) {
            if (nodes.values().stream().noneMatch(l -> l.containsKey(key))) {
                throw new IllegalArgumentException("no node has the label '" + key + "' (selector '" + text + "')");
            }
        }
        Set<String> picked = new LinkedHashSet<>();
        for (Map.Entry<String, Map<String, String>> node : nodes.entrySet()) {
            if (matches(node.getKey(), node.getValue())) {
                picked.add(node.getKey());
            }
        }
        if (picked.isEmpty() && !allowEmpty) {
            throw new IllegalArgumentException("the selector '" + text + "' matches no node"
                    + (names.isEmpty() ? "" : " (unknown: " + names + ")") + "; known nodes: " + nodes.keySet()
                    + " (allowEmpty to accept an empty match)");
        }
        return List.copyOf(picked);
    }

    /** Whether this selector picks the node {@code name} with {@code labels} (a label key it lacks is no match). */
    public boolean matches(String name, Map<String, String> labels) {
        boolean byName = all || names.contains(name) || globs.stream().anyMatch(g -> g.matcher(name).matches());
        boolean byLabels = !this.labels.isEmpty() && this.labels.entrySet().stream()
                .allMatch(l -> l.getValue().equals(labels.get(l.getKey())));
        return byName || byLabels;
    }
}
