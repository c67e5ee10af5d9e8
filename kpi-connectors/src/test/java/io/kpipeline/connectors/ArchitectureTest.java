package io.kpipeline.connectors;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module's boundaries: translations from CRM formats are pure functions of their input (no Kafka, so the
 * webhooks, the CSV import and the Connect transform share them unchanged); only the Connect package knows
 * Connect; and no connector reaches into the stream processors.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kpipeline.connectors");

    @Test
    void translationsDoNotTouchKafka() {
        noClasses().that().resideInAnyPackage("..connectors.crm..", "..connectors.csv..", "..connectors.webhook..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "..connectors.kafka..")
                .check(CLASSES);
    }

    @Test
    void onlyTheConnectPackageKnowsConnect() {
        noClasses().that().resideOutsideOfPackage("..connectors.connect..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.connect..")
                .check(CLASSES);
    }

    @Test
    void connectorsDoNotDependOnTheStreamProcessors() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.kpipeline.streams..").check(CLASSES);
    }
}
