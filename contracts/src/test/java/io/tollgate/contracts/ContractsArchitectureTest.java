package io.tollgate.contracts;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    static DescribedPredicate<JavaMethodCall> readsTheSystemClock() {
        return DescribedPredicate.describe(
                "read the system clock (now() without a Clock, System.currentTimeMillis(), Clock.systemUTC(), …)",
                call -> {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    return switch (owner) {
                        case "java.lang.System" -> name.equals("currentTimeMillis");
                        case "java.time.Clock" -> name.equals("systemUTC") || name.equals("systemDefaultZone");
                        default ->
                            owner.startsWith("java.time.")
                                    && name.equals("now")
                                    && call.getTarget().getRawParameterTypes().stream()
                                            .noneMatch(type -> type.isEquivalentTo(Clock.class));
                    };
                });
    }

    private static final Pattern PROTOCOL_CONSTANT = Pattern.compile(
            "\\[(?:0-9|a-f|A-F)+]\\{40}|(?i)7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    /** The files under {@code sources} that spell the address pattern or the half order. */
    static List<Path> protocolCopies(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> {
                        try {
                            return PROTOCOL_CONSTANT
                                    .matcher(Files.readString(file))
                                    .find();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }
}
