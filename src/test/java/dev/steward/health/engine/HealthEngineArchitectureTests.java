package dev.steward.health.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The scoring engine must run the same in a backtest, a benchmark or a test: no Spring, no SQL, no wall clock. */
@AnalyzeClasses(packages = "dev.steward.health", importOptions = ImportOption.DoNotIncludeTests.class)
class HealthEngineArchitectureTests {

    /** Its package-info may name it as the module's "engine" interface: metadata, not a dependency of the code. */
    @ArchTest
    static final ArchRule engineIsPlainJava = noClasses()
            .that()
            .resideInAPackage("..health.engine..")
            .and()
            .doNotHaveSimpleName("package-info")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "org.postgresql..");

    @ArchTest
    static final ArchRule engineTakesTimeAsAnInput = noClasses()
            .that()
            .resideInAPackage("..health..")
            .should()
            .callMethodWhere(DescribedPredicate.describe(
                    "reads the wall clock rather than an injected Clock",
                    (JavaCall<?> call) -> call.getTargetOwner().getPackageName().equals("java.time")
                            && ((call.getName().equals("now")
                                            && call.getTarget().getRawParameterTypes().stream()
                                                    .noneMatch(type -> type.isEquivalentTo(java.time.Clock.class)))
                                    || call.getName().startsWith("system"))));
}
