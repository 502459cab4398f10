package io.steward.engine.groovy;

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ArrayExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.SpreadExpression;
import org.codehaus.groovy.ast.expr.SpreadMapExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.ResolveVisitor;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.runtime.InvokerHelper;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes what a Groovy script defines reachable when another script of the run includes it. One instance per
 * compilation, run at the {@code CONVERSION} phase, before names are resolved:
 *
 * <ul>
 *   <li><b>Top-level variables.</b> Groovy makes {@code def x = …} in a script body a local of {@code run()}. Each
 *   single-variable declaration directly in the body becomes a public volatile field of the script class plus an
 *   assignment at the same place, so side effects keep their order (unlike {@code @Field}, whose initializer runs
 *   when the instance is made). The script's methods now see the variable too; its closures reach it through
 *   {@link StewardScript#getProperty}, which answers a script's own variables before the binding. Left as locals:
 *   multiple assignments {@code def (a, b) = …}, annotated declarations, and declarations nested in blocks.
 *   A {@code final} modifier is dropped (the field is assigned in {@code run()}).</li>
 *   <li><b>Classes.</b> The simple names of the top-level classes the script declares are collected, so that an
 *   includer can reach them through the binding.</li>
 *   <li><b>{@code new Foo(…)} of a class nothing can resolve.</b> An includer is compiled before its includes run,
 *   so a library's class is unknown to it at compile time. Inside the script class (its body, methods and closures)
 *   {@code new Foo(a, b)} with a simple name that is neither declared in this file, nor imported, nor found in the
 *   default or star-imported packages becomes {@code InvokerHelper.invokeConstructorOf(Foo, [a, b])}, where
 *   {@code Foo} is looked up at run time like any unknown name. Elsewhere (types of declarations, casts,
 *   {@code instanceof}, other classes of the file) such a name stays a compile error.</li>
 * </ul>
 */
final class LibraryCustomizer extends CompilationCustomizer {
    private final ClassLoader classes;
    private final Set<String> variables = new LinkedHashSet<>();
    private final Set<String> declaredClasses = new LinkedHashSet<>();

    LibraryCustomizer(ClassLoader classes) {
        super(CompilePhase.CONVERSION);
        this.classes = classes;
    }

    /** The top-level variables that became fields of the script class. */
    Set<String> variables() {
        return variables;
    }

    /** The fully qualified names of the top-level classes the script declares. */
    Set<String> declaredClasses() {
        return declaredClasses;
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            if (classNode.getOuterClass() == null) {
                declaredClasses.add(classNode.getName());
            }
            return;
        }
        MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
        if (run != null && run.getCode() instanceof BlockStatement body) {
            promoteDeclarations(classNode, body);
        }
        new DynamicConstruction(source).visitClass(classNode);
    }

    private void promoteDeclarations(ClassNode script, BlockStatement body) {
        List<Statement> statements = body.getStatements();
        for (int i = 0; i < statements.size(); i++) {
            if (!(statements.get(i) instanceof ExpressionStatement statement)
                    || !(statement.getExpression() instanceof DeclarationExpression declaration)
                    || declaration.isMultipleAssignmentDeclaration() || !declaration.getAnnotations().isEmpty()) {
                continue;
            }
            VariableExpression variable = declaration.getVariableExpression();
            String name = variable.getName();
            if (script.getDeclaredField(name) != null) {
                continue;
            }
            script.addField(name, Modifier.PUBLIC | Modifier.VOLATILE, variable.getOriginType(), null);
            variables.add(name);
            Expression value = declaration.getRightExpression();
            Expression replacement;
            if (value instanceof EmptyExpression) {
                // The field starts at its default, as the local did; the statement stays, its value null.
                replacement = new ConstantExpression(null);
            } else {
                VariableExpression target = new VariableExpression(name);
                target.setSourcePosition(variable);
                replacement = new BinaryExpression(target, Token.newSymbol(Types.ASSIGN,
                        declaration.getOperation().getStartLine(), declaration.getOperation().getStartColumn()), value);
                replacement.setSourcePosition(declaration);
            }
            ExpressionStatement assignment = new ExpressionStatement(replacement);
            assignment.setSourcePosition(statement);
            assignment.copyStatementLabels(statement);
            statements.set(i, assignment);
        }
    }

    /**
     * The second half of the variable rewrite, once names are resolved ({@code CANONICALIZATION}): inside the
     * script's closures, a reference to a top-level variable becomes {@code this.x}. Groovy would otherwise look
     * such a field up through the closure's resolve strategy, and a delegate ({@code map.with { x }}, builders)
     * would answer first, where the local it used to be could not be shadowed.
     */
    CompilationCustomizer closureAccess() {
        return new CompilationCustomizer(CompilePhase.CANONICALIZATION) {
            @Override
            public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
                if (classNode.isScript() && !variables.isEmpty()) {
                    new ThisAccess(source, classNode).visitClass(classNode);
                }
            }
        };
    }

    private final class ThisAccess extends ClassCodeExpressionTransformer {
        private final SourceUnit source;
        private final ClassNode script;
        private int closures;

        ThisAccess(SourceUnit source, ClassNode script) {
            this.source = source;
            this.script = script;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public Expression transform(Expression expression) {
            if (expression instanceof ClosureExpression closure) {
                closures++;
                try {
                    closure.getCode().visit(this);
                } finally {
                    closures--;
                }
                return closure;
            }
            if (closures > 0 && expression instanceof VariableExpression variable && !variable.isThisExpression()
                    && !variable.isSuperExpression() && variables.contains(variable.getName())
                    && (variable.getAccessedVariable() instanceof FieldNode field && field.getOwner() == script
                        || variable.getAccessedVariable() instanceof DynamicVariable)) {
                PropertyExpression access = new PropertyExpression(new VariableExpression("this"), variable.getName());
                access.setSourcePosition(variable);
                return access;
            }
            return super.transform(expression);
        }
    }

    /** Rewrites {@code new Foo(…)} of an unresolvable simple name into a construction of what {@code Foo} names. */
    private final class DynamicConstruction extends ClassCodeExpressionTransformer {
        private final SourceUnit source;
        private final ModuleNode module;

        DynamicConstruction(SourceUnit source) {
            this.source = source;
            this.module = source.getAST();
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public Expression transform(Expression expression) {
            if (expression instanceof ClosureExpression closure) {
                closure.getCode().visit(this);
                return closure;
            }
            if (expression instanceof ConstructorCallExpression call && !call.isSpecialCall()
                    && !call.isUsingAnonymousInnerClass() && unresolvable(call.getType().getName())) {
                List<Expression> args = new ArrayList<>();
                for (Expression arg : arguments(call.getArguments())) {
                    if (arg instanceof SpreadExpression || arg instanceof SpreadMapExpression) {
                        return super.transform(expression);
                    }
                    args.add(transform(arg));
                }
                VariableExpression type = new VariableExpression(call.getType().getName());
                type.setSourcePosition(call);
                Expression array = new ArrayExpression(ClassHelper.OBJECT_TYPE, args);
                StaticMethodCallExpression construct = new StaticMethodCallExpression(
                        ClassHelper.make(InvokerHelper.class), "invokeConstructorOf",
                        new ArgumentListExpression(type, array));
                construct.setSourcePosition(call);
                return construct;
            }
            return super.transform(expression);
        }

        private static List<Expression> arguments(Expression arguments) {
            List<Expression> args = new ArrayList<>();
            if (arguments instanceof TupleExpression tuple) {
                for (Expression arg : tuple.getExpressions()) {
                    if (arg instanceof NamedArgumentListExpression named) {
                        MapExpression map = new MapExpression(named.getMapEntryExpressions());
                        map.setSourcePosition(named);
                        args.add(map);
                    } else {
                        args.add(arg);
                    }
                }
            } else {
                args.add(arguments);
            }
            return args;
        }

        private boolean unresolvable(String name) {
            if (name.indexOf('.') >= 0 || name.indexOf('$') >= 0 || ClassHelper.isPrimitiveType(ClassHelper.make(name))) {
                return false;
            }
            for (ClassNode declared : module.getClasses()) {
                if (declared.getNameWithoutPackage().equals(name) || declared.getName().endsWith("$" + name)) {
                    return false;
                }
            }
            if (module.getImport(name) != null) {
                return false;
            }
            List<String> prefixes = new ArrayList<>();
            prefixes.add(module.getPackageName() == null ? "" : module.getPackageName());
            for (ImportNode star : module.getStarImports()) {
                prefixes.add(star.getPackageName());
            }
            for (ImportNode star : module.getStaticStarImports().values()) {
                prefixes.add(star.getClassName() + "$");
            }
            for (String prefix : ResolveVisitor.DEFAULT_IMPORTS) {
                prefixes.add(prefix);
            }
            prefixes.add("java.math.");
            for (String prefix : prefixes) {
                if (loads(prefix + name) || (prefix.endsWith(".") && loads(prefix.substring(0, prefix.length() - 1) + "$" + name))) {
                    return false;
                }
            }
            return true;
        }

        private boolean loads(String className) {
            try {
                Class.forName(className, false, classes);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
