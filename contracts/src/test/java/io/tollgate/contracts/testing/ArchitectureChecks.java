package io.tollgate.contracts.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the modules' architecture tests share: the calls that read the system clock, and the source files that spell
 * a constant of the protocol module (the address pattern, the secp256k1 half order, a header name of {@code
 * Headers} as a string literal) instead of using it.
 */
public final class ArchitectureChecks {
    private static final Pattern PROTOCOL_CONSTANT = Pattern.compile("\\[(?:0-9|a-f|A-F)+]\\{40}"
            + "|\"(?:Payment-Voucher|Payment-Channel|Payment-Accepted-Count|Payment-Remaining-Credit"
            + "|Tollgate-Origin|Tollgate-Upstream-Secret)\""
            + "|(?i)7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private ArchitectureChecks() {}

    /** A call that reads the system clock: {@code now()} without a {@link Clock}, {@code currentTimeMillis}, … */
    public static DescribedPredicate<JavaMethodCall> readsTheSystemClock() {
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

    /**
     * The rules every service module keeps, for its classes under {@code root} (e.g. {@code "io.tollgate.gateway"}):
     * its feature packages free of cycles; settings bound to validated properties records, never injected one by one
     * ({@code @Value}); time from the one {@link Clock} bean, which only {@code clockConfiguration} builds, so tests can
     * set it; the web3j wrappers only behind the channel client ({@code io.tollgate.contracts.channel}).
     */
    public static ArchRule serviceModuleRules(String root, String clockConfiguration) {
        String classes = root + "..";
        return CompositeArchRule.of(slices().matching(root + ".(*)..").should().beFreeOfCycles())
                .and(noClasses()
                        .that()
                        .resideInAPackage(classes)
                        .should()
                        .dependOnClassesThat()
                        .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value"))
                .and(noClasses()
                        .that()
                        .resideInAPackage(classes)
                        .and()
                        .doNotHaveFullyQualifiedName(clockConfiguration)
                        .should()
                        .callMethodWhere(readsTheSystemClock()))
                .and(noClasses()
                        .that()
                        .resideInAPackage(classes)
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("io.tollgate.contracts.generated.."));
    }

    /** The files under {@code sources} that spell the address pattern, the half order or a protocol header name. */
    public static List<Path> protocolCopies(Path sources) throws IOException {
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
