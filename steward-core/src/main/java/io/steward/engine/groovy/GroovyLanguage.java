package io.steward.engine.groovy;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.transform.ThreadInterrupt;
import io.steward.engine.CompiledScript;
import io.steward.engine.ScriptCompileException;
import io.steward.engine.ScriptError;
import io.steward.engine.ScriptLanguage;
import io.steward.engine.ScriptText;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles Groovy scripts with {@link StewardScript} as their base class, interrupt checks woven into every
 * loop and closure ({@link ThreadInterrupt}), so that cancel stops even a busy loop, and the rewrites that let a
 * script serve as a library of other scripts ({@link LibraryCustomizer}). Compiling runs none of the script's code:
 * {@code @ASTTest}, {@code @Grab} and their kin are refused ({@link NoCompileTimeCode}), and classes are defined
 * without being initialised, so static initialisers wait for a run.
 */
public final class GroovyLanguage implements ScriptLanguage {

    @Override
    public String id() {
        return "groovy";
    }

    @Override
    public String extension() {
        return ".groovy";
    }

    @Override
    public CompiledScript compile(ScriptText text) {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(StewardScript.class.getName());
        LibraryCustomizer library = new LibraryCustomizer(GroovyLanguage.class.getClassLoader());
        config.setDisabledGlobalASTTransformations(java.util.Set.of(NoCompileTimeCode.GRAB_TRANSFORM));
        config.addCompilationCustomizers(new NoCompileTimeCode(), library, library.closureAccess(),
                new ASTTransformationCustomizer(ThreadInterrupt.class));
        // One loader per script: when the compile cache forgets a script, its classes can be unloaded.
        GroovyClassLoader loader = new GroovyClassLoader(GroovyLanguage.class.getClassLoader(), config);
        GroovyCodeSource source = new GroovyCodeSource(text.source(), SourceFiles.register(text), "/steward/scripts");
        source.setCachable(false);
        try {
            Class<?> scriptClass = loader.parseClass(source, false);
            Map<String, Class<?>> classes = new LinkedHashMap<>();
            for (Class<?> type : loader.getLoadedClasses()) {
                if (library.declaredClasses().contains(type.getName())) {
                    classes.put(type.getSimpleName(), type);
                }
            }
            return new GroovyCompiledScript(text, scriptClass, library.variables(), classes);
        } catch (MultipleCompilationErrorsException e) {
            throw new ScriptCompileException(firstError(text.name(), e), e);
        } catch (CompilationFailedException e) {
            throw new ScriptCompileException(new ScriptError(text.name(), 0, 0, e.getMessage()), e);
        } catch (RuntimeException e) {
            // Groovy's compiler can also fail with plain runtime exceptions on malformed input.
            throw new ScriptCompileException(new ScriptError(text.name(), 0, 0, String.valueOf(e.getMessage())), e);
        }
    }

    private static ScriptError firstError(String script, MultipleCompilationErrorsException e) {
        Message message = e.getErrorCollector().getErrors().isEmpty() ? null : e.getErrorCollector().getErrors().getFirst();
        if (message instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            return new ScriptError(script, cause.getLine(), cause.getStartColumn(), cleanMessage(cause.getOriginalMessage()));
        }
        if (message instanceof ExceptionMessage exception) {
            return new ScriptError(script, 0, 0, String.valueOf(exception.getCause().getMessage()));
        }
        return new ScriptError(script, 0, 0, e.getMessage());
    }

    /** Groovy's parser messages end with " @ line 3, column 5." which the error already carries. */
    private static String cleanMessage(String message) {
        String m = message == null ? "syntax error" : message.strip();
        int at = m.lastIndexOf(" @ line ");
        return at > 0 ? m.substring(0, at).strip() : m;
    }
}
