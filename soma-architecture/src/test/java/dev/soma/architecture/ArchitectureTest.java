package dev.soma.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.elements.ClassesShouldConjunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of DESIGN.md that the compiler does not check: which module may import which, and that
 * a public type outside an {@code internal} package promises nothing internal. Runs over the
 * production classes of every module on this module's class path (add each new module there).
 */
class ArchitectureTest {

    /**
     * Module → the modules it may import (DESIGN.md, "Modules and who may import whom"). Modules not
     * built yet are listed so their rule holds from their first class.
     */
    private static final Map<String, Set<String>> MAY_IMPORT = table(
            "core", "",
            "models", "core",
            "generator", "core",
            "jobs", "core",
            "ingest", "core jobs",
            "enrich", "core jobs ingest",
            "spark", "core models",
            "server", "core models jobs ingest",
            "cli", "core models generator jobs ingest enrich server");

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.soma");
    }

    @Test
    void theRulesSeeEveryBuiltModule() {
        // Guards against a green run over no classes: every module built today must be on the class path.
        for (String module : List.of("core", "models", "generator", "jobs", "ingest", "enrich", "server", "cli", "spark")) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(packageOf(module))))
                    .as("classes of soma-%s are on the class path", module).isTrue();
        }
    }

    @Test
    void modulesImportOnlyWhatDesignAllows() {
        for (Map.Entry<String, Set<String>> module : MAY_IMPORT.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            for (String other : MAY_IMPORT.keySet()) {
                if (!other.equals(module.getKey()) && !module.getValue().contains(other)) {
                    forbidden.add(packageOf(other) + "..");
                }
            }
            if (forbidden.isEmpty()) {
                continue;
            }
            ClassesShouldConjunction rule = noClasses().that().resideInAPackage(packageOf(module.getKey()) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new));
            rule.because("DESIGN.md: soma-" + module.getKey() + " may import only "
                            + (module.getValue().isEmpty() ? "no other module" : String.join(", ", module.getValue())))
                    .allowEmptyShould(true)
                    .check(production);
        }
    }

    /**
     * The engine seam (docs/engines.md): everything engine-specific lives in an engine's class
     * (DuckDbEngine and the warehouse package beside it in soma-core; soma-spark), so the engine core
     * above the seam (soma-models, and the seam's own package dev.soma.core.engine) names no engine:
     * no DuckDB driver type and no engine's class.
     */
    @Test
    void theEngineCoreNamesNoEngine() {
        noClasses().that().resideInAnyPackage("dev.soma.models..", "dev.soma.core.engine..")
                .should().dependOnClassesThat(engineSpecific())
                .because("docs/engines.md: SQL that differs by engine belongs to an Engine; callers ask "
                        + "warehouse.engine() or session.engine(), never a named engine")
                .check(production);
    }

    /** A class of an engine's driver or implementation: org.duckdb, soma-spark, or a DuckDb/Spark-named type. */
    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> engineSpecific() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("belong to one engine", c ->
                c.getPackageName().startsWith("org.duckdb") || c.getPackageName().startsWith("dev.soma.spark")
                        || c.getPackageName().startsWith("org.apache.spark")
                        || c.getSimpleName().startsWith("DuckDb") || c.getSimpleName().startsWith("DuckDB")
                        || c.getSimpleName().startsWith("Spark"));
    }

    @Test
    void publicApiExposesNoInternalType() {
        ArchRule rule = classes().that().arePublic().and().resideInAPackage("dev.soma..")
                .and().resideOutsideOfPackage("..internal..")
                .should(exposeNoInternalType())
                .because("a public type outside internal packages is a promise; internal types may change at any time")
                .allowEmptyShould(true);
        rule.check(production);
    }

    /** No public or protected member, nor the supertypes, of a class mention a type from an internal package. */
    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no internal type in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Set<JavaType> supertypes = new LinkedHashSet<>(type.getInterfaces());
                type.getSuperclass().ifPresent(supertypes::add);
                for (JavaType supertype : supertypes) {
                    report(events, type, type.getName() + " extends or implements", supertype);
                }
                for (JavaMember member : type.getMembers()) {
                    Set<JavaModifier> modifiers = member.getModifiers();
                    if (!modifiers.contains(JavaModifier.PUBLIC) && !modifiers.contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    if (member instanceof JavaField field) {
                        report(events, type, field.getFullName(), field.getType());
                    } else if (member instanceof JavaCodeUnit code) {
                        report(events, type, code.getFullName(), code.getReturnType());
                        for (JavaType parameter : code.getParameterTypes()) {
                            report(events, type, code.getFullName(), parameter);
                        }
                    }
                }
            }
        };
    }

    private static void report(ConditionEvents events, JavaClass owner, String where, JavaType signatureType) {
        for (JavaClass involved : signatureType.getAllInvolvedRawTypes()) {
            if (involved.getPackageName().contains(".internal")) {
                events.add(SimpleConditionEvent.violated(owner, where + " exposes internal type " + involved.getName()));
            }
        }
    }

    private static String packageOf(String module) {
        return "dev.soma." + module;
    }

    private static Map<String, Set<String>> table(String... moduleThenAllowed) {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (int i = 0; i < moduleThenAllowed.length; i += 2) {
            String allowed = moduleThenAllowed[i + 1].strip();
            table.put(moduleThenAllowed[i], allowed.isEmpty() ? Set.of() : Set.of(allowed.split("\\s+")));
        }
        return table;
    }
}
