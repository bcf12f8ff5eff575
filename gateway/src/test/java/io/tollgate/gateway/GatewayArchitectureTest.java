package io.tollgate.gateway;

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

    /** Feature packages free of cycles, no {@code @Value}, time from the clock bean, wrappers behind the channel client. */
    @ArchTest
    static final ArchRule service_module_rules =
            ArchitectureChecks.serviceModuleRules("io.tollgate.gateway", "io.tollgate.gateway.SettingsConfiguration");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
