package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.protocol.chain.ChainEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The protocol's event names are those the contracts the indexer follows emit, no more and no fewer. */
class ChainEventNamesTest {
    @Test
    void the_protocol_names_every_event_of_our_contracts_and_nothing_else() throws IOException {
        Set<String> emitted = new TreeSet<>();
        for (String resource : List.of(
                "solidity/Intermediary.abi", "solidity/IntermediaryRelease2.abi", "solidity/IntermediaryFactory.abi")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                for (JsonNode entry : JsonMapper.shared().readTree(in)) {
                    if (entry.path("type").asString().equals("event")) {
                        emitted.add(entry.path("name").asString());
                    }
                }
            }
        }
        assertThat(emitted)
                .allSatisfy(name -> assertThat(ChainEvent.named(name)).as(name).isPresent());
        assertThat(Arrays.stream(ChainEvent.values()).map(ChainEvent::eventName))
                .allSatisfy(name -> assertThat(emitted).contains(name));
    }
}
