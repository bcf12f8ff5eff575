package io.tollgate.gateway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.contracts.testing.TestClock;
import io.tollgate.gateway.chain.ChannelState;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Agreed terms are cached like chain state; "not subscribed" only briefly; a marketplace outage spares known channels. */
class RefreshingAgreementsTest {
    static final String CHANNEL = "0x00000000000000000000000000000000000000c1";
    static final AgreedTerms TERMS = new AgreedTerms(
            CHANNEL,
            "weather",
            "0x00000000000000000000000000000000000000a1",
            "0x00000000000000000000000000000000000000a2",
            "0x00000000000000000000000000000000000000a3",
            ChannelState.ETHER,
            List.of(Wei.of(1000)),
            Duration.ofSeconds(60),
            Duration.ofSeconds(900));

    /** A marketplace whose answer tests set; null answer: unreachable. */
    static final class Marketplace implements AgreementSource {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<Agreement> answer = new AtomicReference<>(new Agreement.NotSubscribed());
        volatile boolean down;

        @Override
        public Mono<Agreement> read(String channel) {
            return Mono.defer(() -> {
                calls.incrementAndGet();
                return down ? Mono.error(new IllegalStateException("connection refused")) : Mono.just(answer.get());
            });
        }
    }

    final TestClock clock = new TestClock();
    final Marketplace marketplace = new Marketplace();
    final RefreshingAgreements agreements =
            new RefreshingAgreements(marketplace, clock, Duration.ofSeconds(60), Duration.ofSeconds(5));

    Agreement lookup() {
        return agreements.lookup(CHANNEL).block();
    }

    @Test
    void aConfirmedChannelIsAnsweredFromMemoryAndRefreshedInTheBackgroundOnceDue() {
        marketplace.answer.set(new Agreement.Confirmed(TERMS));
        assertThat(Flux.range(0, 20)
                        .flatMap(i -> agreements.lookup(CHANNEL))
                        .collectList()
                        .block())
                .hasSize(20)
                .allMatch(a -> a.equals(new Agreement.Confirmed(TERMS)));
        assertThat(marketplace.calls).hasValue(1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS));
        assertThat(marketplace.calls).hasValue(1);

        // the subscription ended: after the refresh the channel is no longer served
        marketplace.answer.set(new Agreement.NotSubscribed());
        clock.advance(Duration.ofSeconds(1));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS)); // answered at once, refreshing behind
        await().untilAsserted(() -> assertThat(lookup()).isEqualTo(new Agreement.NotSubscribed()));
    }

    @Test
    void aChannelTheMarketplaceDoesNotKnowIsAskedAgainAfterAFewSeconds() {
        assertThat(lookup()).isEqualTo(new Agreement.NotSubscribed());
        marketplace.answer.set(new Agreement.Confirmed(TERMS)); // the consumer registers it
        clock.advance(Duration.ofSeconds(4));
        assertThat(lookup()).isEqualTo(new Agreement.NotSubscribed());
        assertThat(marketplace.calls).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS));
        assertThat(marketplace.calls).hasValue(2);
    }

    @Test
    void whileTheMarketplaceIsDownKnownChannelsAreServedAndUnknownOnesAreUnavailable() {
        marketplace.answer.set(new Agreement.Confirmed(TERMS));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS));
        marketplace.down = true;
        clock.advance(Duration.ofMinutes(10));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS));
        assertThat(lookup()).isEqualTo(new Agreement.Confirmed(TERMS));

        assertThat(agreements
                        .lookup("0x00000000000000000000000000000000000000c2")
                        .block())
                .isInstanceOf(Agreement.Unavailable.class);
        marketplace.down = false;
        assertThat(agreements
                        .lookup("0x00000000000000000000000000000000000000c2")
                        .block())
                .isEqualTo(new Agreement.Confirmed(TERMS));
    }
}
