package io.steward.engine;

/** No script of that name (or version) exists. */
public final class ScriptNotFoundException extends RuntimeException {
    private final String name;

    public ScriptNotFoundException(String name) {
        this(name, "no script named '" + name + "': push it first or check the name");
    }

    public ScriptNotFoundException(String name, String message) {
        super(message);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
