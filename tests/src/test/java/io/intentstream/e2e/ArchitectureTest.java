package io.intentstream.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, in the spirit of Kafka's import-control: dependencies point one way,
 * {@code {schemas, encoder} ← matching ← {streams-app, trainer} ← local-runtime ← bench ← cli}, and
 * the service and the trainer never depend on each other.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.intentstream");
    }

    @Test
    void shouldKeepMatchingFreeOfKafkaAndOfItsCallersWhenCompiled() {
        noClasses()
                .that()
                .resideInAPackage("io.intentstream.matching..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "io.micrometer..",
                        "io.intentstream.streams..",
                        "io.intentstream.trainer..",
                        "io.intentstream.local..",
                        "io.intentstream.bench..",
                        "io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldKeepTheTrainerFreeOfTheServiceWhenCompiled() {
        noClasses()
                .that()
                .resideInAPackage("io.intentstream.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.intentstream.streams..",
                        "io.intentstream.local..",
                        "io.intentstream.bench..",
                        "io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldKeepTheServiceFreeOfTheTrainerWhenCompiled() {
        noClasses()
                .that()
                .resideInAPackage("io.intentstream.streams..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.intentstream.trainer..",
                        "io.intentstream.local..",
                        "io.intentstream.bench..",
                        "io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldKeepTheEncoderFreeOfKafkaAndOfEveryOtherModuleWhenCompiled() {
        noClasses()
                .that()
                .resideInAPackage("io.intentstream.encoder..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "org.apache.avro..",
                        "io.intentstream.schemas..",
                        "io.intentstream.avro..",
                        "io.intentstream.matching..",
                        "io.intentstream.streams..",
                        "io.intentstream.trainer..",
                        "io.intentstream.local..",
                        "io.intentstream.bench..",
                        "io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldKeepSchemasAtTheBottomWhenCompiled() {
        noClasses()
                .that()
                .resideInAnyPackage("io.intentstream.schemas..", "io.intentstream.avro..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.intentstream.encoder..",
                        "io.intentstream.matching..",
                        "io.intentstream.streams..",
                        "io.intentstream.trainer..",
                        "io.intentstream.local..",
                        "io.intentstream.bench..",
                        "io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldLetOnlyTheLauncherUseTheLauncherWhenCompiled() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.intentstream.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.intentstream.cli..")
                .check(main);
    }

    @Test
    void shouldKeepTheLocalRuntimeFreeOfBenchmarksWhenCompiled() {
        noClasses()
                .that()
                .resideInAPackage("io.intentstream.local..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.intentstream.bench..")
                .check(main);
    }
}
