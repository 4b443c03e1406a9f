package dev.airlock.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule of DESIGN.md: the kernel depends on nothing above it, and inside the kernel
 * home, store and audit form a strict stack. Packages that do not exist yet (redact, vault, policy…)
 * simply match no class; the rules are still checked against every package that does exist, and the
 * first two tests make sure the import is not empty and the predicate does flag a real dependency.
 */
class DependencyRulesTest {
    private static final String[] KERNEL = {
        "dev.airlock.home..", "dev.airlock.store..", "dev.airlock.audit..", "dev.airlock.redact..",
        "dev.airlock.vault..", "dev.airlock.policy..", "dev.airlock.sandbox..", "dev.airlock.gate.."};
    private static final String[] ABOVE_KERNEL = {
        "dev.airlock.llm..", "dev.airlock.agent..", "dev.airlock.workflow..", "dev.airlock.fleet..",
        "dev.airlock.web..", "dev.airlock.cli.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() throws java.net.URISyntaxException {
        // Only package names matter here; resolving every library class from the class path costs ~20 s.
        com.tngtech.archunit.ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                // The main classes folder only: scanning the whole class path for the package is slow.
                .importPath(java.nio.file.Path.of(dev.airlock.home.AirlockHome.class.getProtectionDomain()
                        .getCodeSource().getLocation().toURI()));
    }

    @Test
    void import_seesTheKernelAndTheCli_soTheRulesBelowAreNotVacuous() {
        for (String pkg : new String[] {"dev.airlock.home", "dev.airlock.store", "dev.airlock.audit", "dev.airlock.cli"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().equals(pkg))).as("classes imported from " + pkg).isTrue();
        }
    }

    @Test
    void rules_detectAViolation_cliDependsOnHome() {
        // The same predicate that guards the kernel must flag a dependency that really exists.
        assertThatThrownBy(() -> noClasses().that().resideInAPackage("dev.airlock.cli..")
                .should().dependOnClassesThat(resideInAirlockOutside("dev.airlock.cli"))
                .check(classes)).isInstanceOf(AssertionError.class);
    }

    @Test
    void kernel_neverDependsOnLlmAgentWorkflowFleetWebOrCli() {
        noClasses().that().resideInAnyPackage(KERNEL)
                .should().dependOnClassesThat().resideInAnyPackage(ABOVE_KERNEL)
                .because("the kernel is the bottom of the stack (DESIGN.md, Architecture)")
                .check(classes);
    }

    @Test
    void home_dependsOnNoOtherAirlockPackage() {
        noClasses().that().resideInAPackage("dev.airlock.home..")
                .should().dependOnClassesThat(resideInAirlockOutside("dev.airlock.home"))
                .because("home is the bottom of the kernel")
                .check(classes);
    }

    @Test
    void store_dependsOnlyOnHome() {
        noClasses().that().resideInAPackage("dev.airlock.store..")
                .should().dependOnClassesThat(resideInAirlockOutside("dev.airlock.store", "dev.airlock.home"))
                .because("store sits directly on home")
                .check(classes);
    }

    @Test
    void audit_dependsOnlyOnHomeAndStore() {
        noClasses().that().resideInAPackage("dev.airlock.audit..")
                .should().dependOnClassesThat(resideInAirlockOutside("dev.airlock.audit", "dev.airlock.home", "dev.airlock.store"))
                .because("audit sits on store and home; the redactor reaches it only through home.TextFilter")
                .check(classes);
    }

    @Test
    void workflow_dependsOnlyOnTheKernelLlmAndAgent() {
        noClasses().that().resideInAPackage("dev.airlock.workflow..")
                .should().dependOnClassesThat(resideInAirlockOutside("dev.airlock.workflow", "dev.airlock.llm", "dev.airlock.agent",
                        "dev.airlock.home", "dev.airlock.store", "dev.airlock.audit", "dev.airlock.redact", "dev.airlock.vault",
                        "dev.airlock.policy", "dev.airlock.sandbox", "dev.airlock.gate"))
                .because("the CLI and the dashboard assemble the runner; the runner never reaches up to them")
                .check(classes);
    }

    /** Classes in dev.airlock (or below) that are in none of {@code allowed} or their sub-packages. */
    private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaClass> resideInAirlockOutside(
            String... allowed) {
        return new com.tngtech.archunit.base.DescribedPredicate<>(
                "reside in a dev.airlock package other than " + String.join(", ", allowed)) {
            @Override
            public boolean test(com.tngtech.archunit.core.domain.JavaClass c) {
                String pkg = c.getPackageName();
                if (!(pkg.equals("dev.airlock") || pkg.startsWith("dev.airlock."))) {
                    return false;
                }
                for (String a : allowed) {
                    if (pkg.equals(a) || pkg.startsWith(a + ".")) {
                        return false;
                    }
                }
                return true;
            }
        };
    }
}
