package io.kpipeline.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The application's packages depend on one another in one direction: configuration on nothing of the application,
 * HTTP on configuration, the commands on both (the pipeline itself, in the root package, wires them). The benchmarks
 * are a module of their own, kpi-bench, on top of this one.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kpipeline.app");

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("io.kpipeline.app.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
