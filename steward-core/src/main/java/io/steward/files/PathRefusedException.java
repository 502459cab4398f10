package io.steward.files;

/**
 * A name that may not become a file path below its folder. An {@link IllegalArgumentException}, so that the
 * gateway answers it with a 400 and the CLI prints it as a usage error; {@link #rule()} says which rule it broke.
 */
public final class PathRefusedException extends IllegalArgumentException {
    private final String name;
    private final ConfinedDirectory.Rule rule;

    PathRefusedException(String name, ConfinedDirectory.Rule rule, String message) {
        super(message);
        this.name = name;
        this.rule = rule;
    }

    /** The name as it was given (control characters included). */
    public String name() {
        return name;
    }

    public ConfinedDirectory.Rule rule() {
        return rule;
    }
}
