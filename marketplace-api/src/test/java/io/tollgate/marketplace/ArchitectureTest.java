package io.tollgate.marketplace;

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

    /** Feature packages free of cycles, no {@code @Value}, time from the clock bean, wrappers behind the channel client. */
    @ArchTest
    static final ArchRule service_module_rules = ArchitectureChecks.serviceModuleRules(
            "io.tollgate.marketplace", "io.tollgate.marketplace.ClockConfiguration");

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
