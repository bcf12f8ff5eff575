package io.tollgate.client;

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
