package io.tollgate.marketplace.negotiation;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The negotiation state machine. A consumer's request is REQUESTED; the provider accepts it (ACCEPTED at the
 * consumer's prices), counters (OFFERED at its prices) or rejects it; automatic rules answer a request with
 * an offer at once. The consumer accepts or rejects an offer. An open negotiation past its expiry is EXPIRED.
 */
public enum NegotiationState {
    REQUESTED,
    OFFERED,
    ACCEPTED,
    REJECTED,
    EXPIRED;

    /** Who does what. */
    public enum Action {
        PROVIDER_ACCEPT,
        PROVIDER_COUNTER,
        PROVIDER_REJECT,
        CONSUMER_ACCEPT,
        CONSUMER_REJECT
    }

    /** The state {@code action} leads to, or empty when it is not allowed from here. */
    public Optional<NegotiationState> after(Action action) {
        return Optional.ofNullable(
                switch (this) {
                    case REQUESTED ->
                        switch (action) {
                            case PROVIDER_ACCEPT -> ACCEPTED;
                            case PROVIDER_COUNTER -> OFFERED;
                            case PROVIDER_REJECT, CONSUMER_REJECT -> REJECTED;
                            case CONSUMER_ACCEPT -> null;
                        };
                    case OFFERED ->
                        switch (action) {
                            case CONSUMER_ACCEPT -> ACCEPTED;
                            case CONSUMER_REJECT, PROVIDER_REJECT -> REJECTED;
                            case PROVIDER_COUNTER -> OFFERED;
                            case PROVIDER_ACCEPT -> null;
                        };
                    case ACCEPTED, REJECTED, EXPIRED -> null;
                });
    }

    public boolean open() {
        return this == REQUESTED || this == OFFERED;
    }

    /** The actions allowed from here (for the problem a refused transition answers). */
    public Set<Action> allowed() {
        Set<Action> allowed = EnumSet.noneOf(Action.class);
        for (Action action : Action.values()) {
            after(action).ifPresent(next -> allowed.add(action));
        }
        return allowed;
    }
}
