package io.steward.engine.groovy;

import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.Set;

/**
 * Refuses the annotations that make the Groovy compiler run code or fetch it: {@code @ASTTest} runs its closure
 * while compiling, {@code @Grab} and its kin download and load jars, and {@code @AnnotationCollector} could alias
 * either. Compiling (validating) a script must run none of it (Jenkins CVE-2019-1003000). Runs at
 * {@code CONVERSION}, before {@code SEMANTIC_ANALYSIS} where local transforms are collected, so names are still as
 * written: simple names, qualified names and import aliases of these classes are all refused.
 */
final class NoCompileTimeCode extends CompilationCustomizer {
    static final Set<String> REFUSED = Set.of("groovy.transform.ASTTest", "groovy.lang.Grab", "groovy.lang.Grapes",
            "groovy.lang.GrabConfig", "groovy.lang.GrabExclude", "groovy.lang.GrabResolver",
            "groovy.transform.AnnotationCollector");
    /** The global transform behind {@code @Grab}; disabled in the compiler configuration as well. */
    static final String GRAB_TRANSFORM = "groovy.grape.GrabAnnotationTransformation";

    NoCompileTimeCode() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        for (ImportNode imported : module.getImports()) {
            refuseIfListed(source, imported, imported.getClassName());
            imported.getAnnotations().forEach(a -> check(source, a));
        }
        module.getStarImports().forEach(i -> i.getAnnotations().forEach(a -> check(source, a)));
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitAnnotations(AnnotatedNode node) {
                node.getAnnotations().forEach(a -> check(source, a));
                super.visitAnnotations(node);
            }

            @Override
            public void visitDeclarationExpression(org.codehaus.groovy.ast.expr.DeclarationExpression expression) {
                expression.getAnnotations().forEach(a -> check(source, a));
                super.visitDeclarationExpression(expression);
            }
        }.visitClass(classNode);
    }

    private static void check(SourceUnit source, AnnotationNode annotation) {
        refuseIfListed(source, annotation, annotation.getClassNode().getName());
    }

    private static void refuseIfListed(SourceUnit source, org.codehaus.groovy.ast.ASTNode node, String name) {
        for (String refused : REFUSED) {
            String simple = refused.substring(refused.lastIndexOf('.') + 1);
            if (name.equals(refused) || name.equals(simple)) {
                source.addError(new SyntaxException("@" + simple + " is not allowed: compiling a script must run "
                        + "no code and fetch nothing (" + refused + " would); remove it, and ship libraries as "
                        + "scripts to include", node.getLineNumber(), Math.max(node.getColumnNumber(), 0)));
                return;
            }
        }
    }
}
