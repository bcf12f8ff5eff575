package io.tollgate.monitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.tollgate", importOptions = ImportOption.DoNotIncludeTests.class)
class MonitorArchitectureTest {
    @ArchTest
    static final ArchRule monitor_is_neither_gateway_nor_marketplace = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tollgate.gateway..", "io.tollgate.marketplace..", "io.tollgate.client..");

    @ArchTest
    static final ArchRule measuring_knows_nothing_of_signing_or_submitting = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor.measure..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tollgate.monitor.report..", "io.tollgate.monitor.submit..", "org.web3j..");

    @ArchTest
    static final ArchRule reports_are_not_submitted_by_the_reporter = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor.report..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.monitor.submit..");
}
