package io.tollgate.marketplace.negotiation;

import static io.tollgate.marketplace.negotiation.NegotiationState.Action.CONSUMER_ACCEPT;
import static io.tollgate.marketplace.negotiation.NegotiationState.Action.CONSUMER_REJECT;
import static io.tollgate.marketplace.negotiation.NegotiationState.Action.PROVIDER_ACCEPT;
import static io.tollgate.marketplace.negotiation.NegotiationState.Action.PROVIDER_COUNTER;
import static io.tollgate.marketplace.negotiation.NegotiationState.Action.PROVIDER_REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.marketplace.negotiation.NegotiationState.Action;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The whole transition table, written out: every state × action pair. */
class NegotiationStateTest {
    static final Map<NegotiationState, Map<Action, NegotiationState>> TABLE = Map.of(
            NegotiationState.REQUESTED,
                    Map.of(
                            PROVIDER_ACCEPT, NegotiationState.ACCEPTED,
                            PROVIDER_COUNTER, NegotiationState.OFFERED,
                            PROVIDER_REJECT, NegotiationState.REJECTED,
                            CONSUMER_REJECT, NegotiationState.REJECTED),
            NegotiationState.OFFERED,
                    Map.of(
                            CONSUMER_ACCEPT, NegotiationState.ACCEPTED,
                            CONSUMER_REJECT, NegotiationState.REJECTED,
                            PROVIDER_REJECT, NegotiationState.REJECTED,
                            PROVIDER_COUNTER, NegotiationState.OFFERED),
            NegotiationState.ACCEPTED, Map.of(),
            NegotiationState.REJECTED, Map.of(),
            NegotiationState.EXPIRED, Map.of());

    @Test
    void everyTransitionIsTheTablesAndNothingElse() {
        for (NegotiationState state : NegotiationState.values()) {
            for (Action action : Action.values()) {
                assertThat(state.after(action))
                        .as("%s then %s", state, action)
                        .isEqualTo(Optional.ofNullable(TABLE.get(state).get(action)));
            }
            assertThat(state.allowed())
                    .as("allowed from %s", state)
                    .isEqualTo(TABLE.get(state).keySet());
        }
    }

    @Test
    void onlyRequestsAndOffersAreOpen() {
        assertThat(NegotiationState.REQUESTED.open()).isTrue();
        assertThat(NegotiationState.OFFERED.open()).isTrue();
        assertThat(NegotiationState.ACCEPTED.open()).isFalse();
        assertThat(NegotiationState.REJECTED.open()).isFalse();
        assertThat(NegotiationState.EXPIRED.open()).isFalse();
    }
}
