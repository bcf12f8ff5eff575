package io.tollgate.gateway;

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

@AnalyzeClasses(packages = "io.tollgate.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTest {

    @ArchTest
    static final ArchRule gateway_is_not_marketplace = noClasses()
            .that()
            .resideInAPackage("io.tollgate.gateway..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.marketplace..");

    @ArchTest
    static final ArchRule ledger_and_voucher_do_not_know_the_web_layer = noClasses()
            .that()
            .resideInAnyPackage("io.tollgate.gateway.ledger..", "io.tollgate.gateway.chain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.cloud.gateway..", "io.tollgate.gateway.payment..");

    /** Listings and problems are concepts of their own: the payment filter uses them, not the reverse. */
    @ArchTest
    static final ArchRule listings_and_problems_do_not_know_the_payment_filter = noClasses()
            .that()
            .resideInAnyPackage("io.tollgate.gateway.listing..", "io.tollgate.gateway.problem..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.gateway.payment..");

    /** The protocol (voucher codec, digests, headers, problems, wire records) is the protocol module's. */
    @ArchTest
    static final ArchRule only_egress_uses_the_client = noClasses()
            .that()
            .resideOutsideOfPackage("io.tollgate.gateway.egress..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.client..");

    @ArchTest
    static final ArchRule nothing_blocks_on_reactive_types = noClasses()
            .that()
            .resideInAPackage("io.tollgate.gateway..")
            .should()
            .callMethod(reactor.core.publisher.Mono.class, "block")
            .orShould()
            .callMethod(reactor.core.publisher.Flux.class, "blockFirst")
            .orShould()
            .callMethod(reactor.core.publisher.Flux.class, "blockLast");

    /** Dependencies between the gateway's feature packages go one way (redemption → chain, ledger; not back). */
    @ArchTest
    static final ArchRule feature_packages_are_free_of_cycles =
            slices().matching("io.tollgate.gateway.(*)..").should().beFreeOfCycles();

    /** Settings are bound to validated properties records, never injected one by one. */
    @ArchTest
    static final ArchRule no_value_injection = noClasses()
            .that()
            .resideInAPackage("io.tollgate.gateway..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(Value.class);

    /** Time comes from the one {@link Clock} bean ({@code SettingsConfiguration.clock()}), so tests can set it. */
    @ArchTest
    static final ArchRule time_comes_from_the_clock_bean = noClasses()
            .that()
            .resideInAPackage("io.tollgate.gateway..")
            .and()
            .doNotHaveFullyQualifiedName("io.tollgate.gateway.SettingsConfiguration")
            .should()
            .callMethodWhere(readsTheSystemClock());

    /** The web3j wrappers are the channel client's ({@code io.tollgate.contracts.channel}). */
    @ArchTest
    static final ArchRule generated_wrappers_only_behind_the_channel_client = noClasses()
            .that()
            .resideInAPackage("io.tollgate.gateway..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.contracts.generated..");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
