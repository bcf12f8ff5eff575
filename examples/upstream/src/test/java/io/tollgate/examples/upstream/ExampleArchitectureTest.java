package io.tollgate.examples.upstream;

import static io.tollgate.contracts.testing.ArchitectureChecks.protocolCopies;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExampleArchitectureTest {
    /** The header names (and the address pattern, the half order) are the protocol module's ({@code Headers}, …). */
    @Test
    void protocol_constants_only_in_the_protocol_module() throws IOException {
        assertThat(protocolCopies(Path.of("src/main/java"))).isEmpty();
    }
}
