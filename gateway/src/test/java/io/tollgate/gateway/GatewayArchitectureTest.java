package io.tollgate.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

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
}
