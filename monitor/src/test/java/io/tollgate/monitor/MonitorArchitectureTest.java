package io.tollgate.monitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.tollgate.contracts.testing.ArchitectureChecks.protocolCopies;
import static io.tollgate.contracts.testing.ArchitectureChecks.readsTheSystemClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

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

    @ArchTest
    static final ArchRule feature_packages_are_free_of_cycles =
            slices().matching("io.tollgate.monitor.(*)..").should().beFreeOfCycles();

    /** Settings are bound to validated properties records, never injected one by one. */
    @ArchTest
    static final ArchRule no_value_injection = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(Value.class);

    /** Time comes from the one {@link Clock} bean ({@code MonitorConfiguration.clock()}), so tests can set it. */
    @ArchTest
    static final ArchRule time_comes_from_the_clock_bean = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor..")
            .and()
            .doNotHaveFullyQualifiedName("io.tollgate.monitor.MonitorConfiguration")
            .should()
            .callMethodWhere(readsTheSystemClock());

    /** The web3j wrappers are the channel client's ({@code io.tollgate.contracts.channel}). */
    @ArchTest
    static final ArchRule generated_wrappers_only_behind_the_channel_client = noClasses()
            .that()
            .resideInAPackage("io.tollgate.monitor..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.contracts.generated..");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
