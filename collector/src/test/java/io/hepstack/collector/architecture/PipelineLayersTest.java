package io.hepstack.collector.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folders are the pipeline, and data flows one way: a package may use the ones before it in
 * {@link #LAYERS}, never one after it (an "upward import"), and no two top-level packages depend on
 * each other. Checked on the compiled classes of the collector with ArchUnit.
 */
class PipelineLayersTest {

    private static final String ROOT = "io.hepstack.collector";

    /**
     * Lowest first. Within a row the packages are peers that must not use each other (no cycles
     * checks that separately); each row may use every row above it.
     */
    static final List<List<String>> LAYERS = List.of(
            // building blocks: wire formats, documents, retry policies, files on disk, media quality maths
            // journal: checksummed segment files (disk buffer, spool), owner-only folders
            List.of("hep", "protocol", "document", "pcap", "retry", "journal"),
            List.of("qos"),
            // the contract every stage and protocol implements
            List.of("pipeline"),
            // one class per payload type
            List.of("payload"),
            // the stages, in the order data flows through them
            List.of("ingest"),
            List.of("parse"),
            List.of("enrich"),
            List.of("reorder"),
            List.of("correlate"),
            List.of("rate"),
            List.of("fraud"),
            List.of("index"),
            // what runs around the pipeline: storage client, API, health, configuration, tools
            List.of("es", "api", "health", "config", "kibana", "security", "ui"));

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        assertThat(classes).as("the collector's classes were found").hasSizeGreaterThan(100);
    }

    @Test
    void everyPackageIsInALayer() {
        List<String> stray = new ArrayList<>();
        classes.forEach(c -> {
            String pkg = c.getPackageName();
            if (pkg.equals(ROOT)) {
                return; // the application's wiring sits on top of everything
            }
            String top = pkg.substring(ROOT.length() + 1).split("\\.")[0];
            if (LAYERS.stream().noneMatch(row -> row.contains(top)) && !stray.contains(top)) {
                stray.add(top);
            }
        });
        assertThat(stray).as("packages missing from PipelineLayersTest.LAYERS").isEmpty();
    }

    @Test
    void noPackageUsesOneAfterIt() {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (int j = i + 1; j < LAYERS.size(); j++) {
                for (String lower : LAYERS.get(i)) {
                    for (String higher : LAYERS.get(j)) {
                        ArchRule rule = noClasses().that().resideInAPackage(ROOT + "." + lower + "..")
                                .should().dependOnClassesThat().resideInAPackage(ROOT + "." + higher + "..")
                                .because(lower + " comes before " + higher + " in the pipeline")
                                .allowEmptyShould(true);
                        EvaluationResult r = rule.evaluate(classes);
                        if (r.hasViolation()) {
                            violations.addAll(r.getFailureReport().getDetails());
                        }
                    }
                }
            }
        }
        assertThat(violations).as("upward imports").isEmpty();
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCheckCanFail() {
        // the application class uses everything: as a "lower" package it would violate the rule
        ArchRule rule = noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".index..");
        assertThat(rule.evaluate(classes).hasViolation()).isTrue();
    }
}
