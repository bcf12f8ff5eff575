package io.tollgate.contracts;

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

@AnalyzeClasses(packages = "io.tollgate.contracts", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractsArchitectureTest {
    /** The web3j wrappers are the channel client's: everything else goes through it. */
    @ArchTest
    static final ArchRule generated_wrappers_only_behind_the_channel_client = noClasses()
            .that()
            .resideInAPackage("io.tollgate.contracts..")
            .and()
            .resideOutsideOfPackages("io.tollgate.contracts.channel..", "io.tollgate.contracts.generated..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.tollgate.contracts.generated..");

    /**
     * Time comes from a {@link Clock} the caller gives. Allowed: the demo launcher {@code DemoChain} (it aligns
     * the demo chain's time with the wall clock) and {@code FeeEstimator.uncached} (it keeps no estimate, so its
     * clock is never consulted for an age).
     */
    @ArchTest
    static final ArchRule time_comes_from_a_given_clock = noClasses()
            .that()
            .resideInAPackage("io.tollgate.contracts..")
            .and()
            .resideOutsideOfPackage("io.tollgate.contracts.generated..")
            .and()
            .doNotHaveFullyQualifiedName("io.tollgate.contracts.demo.DemoChain")
            .and()
            .doNotHaveFullyQualifiedName("io.tollgate.contracts.channel.FeeEstimator")
            .should()
            .callMethodWhere(readsTheSystemClock());

    /** The address pattern and the secp256k1 half order are the protocol module's ({@code Address}, {@code Signatures}). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
