package io.tollgate.contracts.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
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
