package io.tollgate.gateway.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tollgate.contracts.testing.TestClock;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RefreshingChannelStateCacheTest {

    private static final String CHANNEL = "0x00000000000000000000000000000000000000c1";

    /** A chain whose deposit tests change, counting reads. */
    static final class CountingSource implements ChannelStateSource {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicReference<Long> deposit = new AtomicReference<>(100L);
        volatile boolean down;

        @Override
        public Mono<ChannelLookup> read(String channel) {
            return Mono.defer(() -> {
                reads.incrementAndGet();
                if (down) {
                    return Mono.error(new IllegalStateException("node unreachable"));
                }
                return Mono.just(new ChannelLookup.Found(state(deposit.get())));
            });
        }
    }

    static ChannelState state(long deposit) {
        return new ChannelState(
                CHANNEL,
                31337,
                "0x00000000000000000000000000000000000000f1",
                "0x00000000000000000000000000000000000000a1",
                "0x00000000000000000000000000000000000000b1",
                1,
                Map.of(1L, new EpochTerms(1, List.of(Wei.of(1)), Optional.empty())),
                Wei.of(deposit),
                1,
                Optional.empty(),
                false,
                TestChain.PARTIES);
    }

    private final TestClock clock = new TestClock();
    private final CountingSource source = new CountingSource();
    private final RefreshingChannelStateCache cache = new RefreshingChannelStateCache(
            source, clock, Duration.ofSeconds(6), Duration.ofSeconds(50), Duration.ofSeconds(5));

    private Wei deposit() {
        return ((ChannelLookup.Found) cache.lookup(CHANNEL).block()).state().unredeemedDeposit();
    }

    @Test
    void concurrentFirstLookupsShareOneChainRead() {
        var all = Flux.range(0, 20)
                .flatMap(i -> cache.lookup(CHANNEL))
                .collectList()
                .block();
        assertThat(all).hasSize(20);
        assertThat(source.reads).hasValue(1);
    }

    @Test
    void answersFromMemoryUntilRefreshIsDueThenRefreshesInTheBackground() {
        assertThat(deposit()).isEqualTo(Wei.of(100));
        source.deposit.set(40L);
        clock.advance(Duration.ofSeconds(5));
        assertThat(deposit()).isEqualTo(Wei.of(100));
        assertThat(source.reads).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        deposit(); // due: starts the refresh, answers from memory meanwhile
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(deposit()).isEqualTo(Wei.of(40)));
    }

    @Test
    void keepsServingDuringAShortOutageAndFailsClosedOnceTooOld() {
        deposit();
        source.down = true;
        clock.advance(Duration.ofSeconds(30));
        assertThat(deposit()).isEqualTo(Wei.of(100));
        clock.advance(Duration.ofSeconds(30));
        StepVerifier.create(cache.lookup(CHANNEL)).verifyError(IllegalStateException.class);
        source.down = false;
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(deposit()).isEqualTo(Wei.of(100)));
    }

    @Test
    void aChannelUnusedForLongerThanTheMaximumAgeIsReadAgainInsteadOfRefused() {
        deposit();
        source.deposit.set(40L);
        clock.advance(Duration.ofSeconds(60)); // nobody asked for it meanwhile: no refresh ran
        assertThat(deposit()).isEqualTo(Wei.of(40));
        assertThat(source.reads).hasValue(2);
    }

    @Test
    void concurrentLookupsOfAnEntryTooOldShareOneChainRead() {
        deposit();
        clock.advance(Duration.ofSeconds(60));
        var all = Flux.range(0, 20)
                .flatMap(i -> cache.lookup(CHANNEL))
                .collectList()
                .block();
        assertThat(all).hasSize(20);
        assertThat(source.reads).hasValue(2);
    }

    @Test
    void aFailedFirstReadIsNotCached() {
        source.down = true;
        StepVerifier.create(cache.lookup(CHANNEL)).verifyError(IllegalStateException.class);
        source.down = false;
        assertThat(deposit()).isEqualTo(Wei.of(100));
    }

    @Test
    void remembersRefusedChannelsForGood() {
        var refusing = new ChannelStateSource() {
            final AtomicInteger reads = new AtomicInteger();

            @Override
            public Mono<ChannelLookup> read(String channel) {
                reads.incrementAndGet();
                return Mono.just(new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_FACTORY));
            }
        };
        var refusingCache = new RefreshingChannelStateCache(
                refusing, clock, Duration.ofSeconds(6), Duration.ofSeconds(50), Duration.ofSeconds(5));
        refusingCache.lookup(CHANNEL).block();
        clock.advance(Duration.ofHours(1));
        assertThat(refusingCache.lookup(CHANNEL).block())
                .isEqualTo(new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_FACTORY));
        assertThat(refusing.reads).hasValue(1);
    }

    @Test
    void anAddressWithoutAContractIsRefusedOnlyBrieflySoAGuessedAddressIsServedOnceItsChannelExists() {
        var exists = new java.util.concurrent.atomic.AtomicBoolean();
        var reads = new AtomicInteger();
        ChannelStateSource chain = channel -> Mono.fromCallable(() -> {
            reads.incrementAndGet();
            return exists.get()
                    ? new ChannelLookup.Found(state(100))
                    : new ChannelLookup.Refused(ChannelLookup.Reason.NO_CONTRACT);
        });
        var guessed = new RefreshingChannelStateCache(
                chain, clock, Duration.ofSeconds(6), Duration.ofSeconds(50), Duration.ofSeconds(5));
        assertThat(guessed.lookup(CHANNEL).block())
                .isEqualTo(new ChannelLookup.Refused(ChannelLookup.Reason.NO_CONTRACT));
        exists.set(true); // the attacker's guess, or a block the node had not seen, is now a channel
        clock.advance(Duration.ofSeconds(4));
        assertThat(guessed.lookup(CHANNEL).block()).isInstanceOf(ChannelLookup.Refused.class);
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(guessed.lookup(CHANNEL).block()).isInstanceOf(ChannelLookup.Found.class);
        assertThat(reads).hasValue(2);
    }

    @Test
    void remembersOnlyTheNewestRefusedChannelsSoMadeUpAddressesCannotGrowTheHeap() {
        var reads = new AtomicInteger();
        ChannelStateSource unknown = channel -> Mono.fromCallable(() -> {
            reads.incrementAndGet();
            return new ChannelLookup.Refused(ChannelLookup.Reason.UNKNOWN_CHANNEL);
        });
        var bounded = new RefreshingChannelStateCache(
                unknown, clock, Duration.ofSeconds(6), Duration.ofSeconds(50), Duration.ofSeconds(5), 3);
        for (int i = 0; i < 10; i++) {
            bounded.lookup(String.format("0x%040x", i)).block();
        }
        assertThat(bounded.size()).isEqualTo(3);
        bounded.lookup(String.format("0x%040x", 9)).block(); // among the newest: remembered
        assertThat(reads).hasValue(10);
        bounded.lookup(String.format("0x%040x", 0)).block(); // forgotten: read again, and still refused
        assertThat(reads).hasValue(11);
        assertThat(bounded.size()).isEqualTo(3);
    }

    @Test
    void aLookupWhileTheFirstReadIsBeingStoredNeverSeesAHalfWrittenEntry() throws Exception {
        var storing = new java.util.concurrent.CountDownLatch(1);
        var proceed = new java.util.concurrent.CountDownLatch(1);
        Thread test = Thread.currentThread();
        // the clock stops the reader while it stores the first read, until this test has looked up meanwhile
        var pausingClock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                if (Thread.currentThread() != test && storing.getCount() > 0) {
                    storing.countDown();
                    try {
                        proceed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return clock.instant();
            }
        };
        ChannelStateSource elsewhere =
                channel -> Mono.fromCallable(() -> (ChannelLookup) new ChannelLookup.Found(state(100)))
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic());
        var racing = new RefreshingChannelStateCache(
                elsewhere, pausingClock, Duration.ofSeconds(6), Duration.ofSeconds(50), Duration.ofSeconds(5));
        var first = racing.lookup(CHANNEL).toFuture();
        assertThat(storing.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var second = racing.lookup(CHANNEL).toFuture(); // must not throw, must not see a value without its time
        proceed.countDown();
        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ChannelLookup.Found.class);
        assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ChannelLookup.Found.class);
    }
}
