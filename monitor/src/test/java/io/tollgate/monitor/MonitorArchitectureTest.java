package io.tollgate.monitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.tollgate.contracts.testing.ArchitectureChecks.protocolCopies;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.tollgate.contracts.testing.ArchitectureChecks;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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

    /** Feature packages free of cycles, no {@code @Value}, time from the clock bean, wrappers behind the channel client. */
    @ArchTest
    static final ArchRule service_module_rules =
            ArchitectureChecks.serviceModuleRules("io.tollgate.monitor", "io.tollgate.monitor.MonitorConfiguration");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
