package io.tollgate.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

@AnalyzeClasses(packages = "io.tollgate.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientArchitectureTest {
    @ArchTest
    static final ArchRule client_has_no_spring =
            noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..");

    @ArchTest
    static final ArchRule client_is_not_the_gateway_or_the_marketplace = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tollgate.gateway..", "io.tollgate.marketplace..");

    /** The client reads no system clock: time it needs comes from a {@link Clock} its caller gives. */
    @ArchTest
    static final ArchRule time_comes_from_a_given_clock = noClasses().should().callMethodWhere(readsTheSystemClock());

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
