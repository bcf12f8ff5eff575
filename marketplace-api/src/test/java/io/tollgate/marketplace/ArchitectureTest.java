package io.tollgate.marketplace;

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
class ArchitectureTest {
    @ArchTest
    static final ArchRule marketplace_is_not_the_gateway = noClasses()
            .that()
            .resideInAPackage("io.tollgate.marketplace..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tollgate.gateway..", "io.tollgate.client..");

    @ArchTest
    static final ArchRule pricing_has_no_framework = noClasses()
            .that()
            .resideInAPackage("io.tollgate.pricing..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "jakarta..", "org.web3j..");

    @ArchTest
    static final ArchRule feature_packages_are_free_of_cycles =
            slices().matching("io.tollgate.marketplace.(*)..").should().beFreeOfCycles();

    /** Settings are bound to validated properties records, never injected one by one. */
    @ArchTest
    static final ArchRule no_value_injection = noClasses()
            .that()
            .resideInAPackage("io.tollgate.marketplace..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(Value.class);

    /** Time comes from the one {@link Clock} bean, so tests can set it. */
    @ArchTest
    static final ArchRule time_comes_from_the_clock_bean = noClasses()
            .that()
            .resideInAPackage("io.tollgate.marketplace..")
            .and()
            .doNotHaveFullyQualifiedName("io.tollgate.marketplace.ClockConfiguration")
            .should()
            .callMethodWhere(readsTheSystemClock());

    /** The web3j wrappers are the channel client's: the marketplace reaches the chain through io.tollgate.contracts.channel. */
    @ArchTest
    static final ArchRule generated_wrappers_only_behind_the_channel_client = noClasses()
            .that()
            .resideInAPackage("io.tollgate.marketplace..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.contracts.generated..");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
