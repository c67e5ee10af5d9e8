package io.kpipeline.streams;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine's packages depend on one another in one direction, from the vocabulary up: {@code measure} (what is
 * counted, by which dimension) and the codecs, time and stores at the bottom; entity state; the contributions an
 * entity makes; the aggregates they are summed into and read from; the KPIs computed from aggregates; the query
 * over KPIs; the topology on top, wiring them into Kafka Streams.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kpipeline.streams");

    @Test
    void thePackagesHaveNoCycles() {
        slices().matching("io.kpipeline.streams.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheTopologyKnowsKafkaStreamsProcessors() {
        noClasses().that().resideOutsideOfPackages("..topology..", "..alerts..", "..assembly..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams.processor.api..").check(CLASSES);
    }
}
