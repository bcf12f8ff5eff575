package io.tollgate.contracts.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelCode;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.DemoState;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import io.tollgate.protocol.TokenAuthorizations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo chain: its own channels stay on release 1 (the marketplace offers them the upgrade), channels
 * created afterwards run release 2, and the state file names both code hashes for the gateway to trust.
 */
class DemoChainTest {
    /** The demo consumer: anvil's public test account 1. */
    private static final String CONSUMER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @TempDir
    Path dir;

    @Test
    void demoChannelsRunRelease1AndNewChannelsRelease2() throws Exception {
        try (var chain = AnvilNode.start()) {
            Path stateFile = dir.resolve("demo.properties");
            var state = DemoState.setUp(chain, stateFile);
            var web3j = chain.web3j();

            assertThat(ChannelClient.readOnly(web3j, state.getProperty("CHANNEL"))
                            .release())
                    .isEqualTo(1);
            assertThat(ChannelClient.readOnly(web3j, state.getProperty("HISTORY_CHANNEL"))
                            .release())
                    .isEqualTo(1);
            String release2 = state.getProperty("RELEASE2_IMPLEMENTATION");
            assertThat(state.getProperty("RELEASE2_CODE_HASH")).isEqualTo(ChannelCode.codeHash(web3j, release2));
            assertThat(state.getProperty("IMPLEMENTATION_CODE_HASH"))
                    .isNotEqualTo(state.getProperty("RELEASE2_CODE_HASH"));
            // the demo dollar is deployed beside them, under its documented EIP-712 domain
            String usd = state.getProperty("DEMO_USD");
            assertThat(TokenPermits.domain(web3j, usd))
                    .isEqualTo(TokenAuthorizations.Domain.demoUsd(AnvilNode.CHAIN_ID, Address.of(usd)));

            var created = etherChannelOfAccount7(chain, state);
            assertThat(created.release()).isEqualTo(2);
            assertThat(ChannelCode.codeHash(web3j, created.state().implementation()))
                    .isEqualTo(state.getProperty("RELEASE2_CODE_HASH"));

            // run again: nothing changes
            DemoChain.main(new String[] {chain.rpcUrl(), stateFile.toString()});
            assertThat(load(stateFile)).isEqualTo(state);
        }
    }

    /**
     * The demo consumer's USD channel: DemoUsd from the faucet, one channel created and funded with a permit
     * (release 2, the demo dollar as its token), its epoch-1 history claimed and withdrawn to the provider, epoch 2
     * open at the same prices; balances to the unit.
     */
    @Test
    void theDemoConsumerHoldsDemoUsdAndOneFundedUsdChannelWithAHistory() throws Exception {
        try (var chain = AnvilNode.start()) {
            Path stateFile = dir.resolve("demo.properties");
            var state = DemoState.setUp(chain, stateFile);
            var web3j = chain.web3j();
            String usd = state.getProperty("DEMO_USD");
            String channel = state.getProperty("USD_CHANNEL");
            var client = ChannelClient.readOnly(web3j, channel);

            assertThat(client.release()).isEqualTo(2);
            assertThat(client.parties().token()).isEqualToIgnoringCase(usd);
            assertThat(client.parties().owner()).isEqualToIgnoringCase(CONSUMER);
            assertThat(client.pricesOf(2)).isEqualTo(DemoChain.FX_PRICES);
            var channelState = client.state();
            // 120 calls at 1000 and 30 at 2000 units: 0.18 USDT-demo of the 20 deposited
            assertThat(channelState.totalDeposited()).isEqualTo(Wei.of(20_000_000));
            assertThat(channelState.unredeemed()).isEqualTo(Wei.of(20_000_000 - 180_000));
            assertThat(channelState.activeEpoch()).isEqualTo(2);
            assertThat(state.getProperty("USD_CHANNEL_EPOCH")).isEqualTo("2");
            assertThat(client.redeemedCounts(1)).containsExactly(120L, 30L);
            assertThat(TokenPermits.balanceOf(web3j, usd, channel)).isEqualTo(Wei.of(20_000_000 - 180_000));
            assertThat(TokenPermits.balanceOf(web3j, usd, CONSUMER)).isEqualTo(Wei.of(1_000_000_000 - 20_000_000));
            assertThat(TokenPermits.balanceOf(web3j, usd, DemoChain.FX_PROVIDER_PAYOUT))
                    .isEqualTo(Wei.of(180_000));

            // a restart keeps the channel: nothing is sent again
            DemoChain.main(new String[] {chain.rpcUrl(), stateFile.toString()});
            assertThat(load(stateFile)).isEqualTo(state);
            assertThat(TokenPermits.balanceOf(web3j, usd, CONSUMER)).isEqualTo(Wei.of(1_000_000_000 - 20_000_000));

            // a demo chain set up before the USD channel existed gets it at its next start, the rest unchanged
            state.remove("USD_CHANNEL");
            state.remove("USD_CHANNEL_EPOCH");
            try (var out = Files.newOutputStream(stateFile)) {
                state.store(out, null);
            }
            DemoChain.main(new String[] {chain.rpcUrl(), stateFile.toString()});
            var upgraded = load(stateFile);
            assertThat(upgraded.getProperty("USD_CHANNEL")).isNotEqualTo(channel);
            assertThat(upgraded.getProperty("CHANNEL")).isEqualTo(state.getProperty("CHANNEL"));
            assertThat(ChannelClient.readOnly(web3j, upgraded.getProperty("USD_CHANNEL"))
                            .state()
                            .totalDeposited())
                    .isEqualTo(Wei.of(20_000_000));
        }
    }

    /**
     * The demo's history moves the chain's clock past a T_r; anvil keeps that offset for every later block, and
     * release 2 starts SLA windows at block time while the monitor measures by this machine's clock. A chain started
     * in the past, as demo.sh starts it, ends the set-up on this machine's time (without the alignment it stayed 61 s
     * ahead for good and the demo's outages were counted in other windows).
     */
    @Test
    void afterTheSetUpTheChainsClockIsThisMachines() throws Exception {
        long past = java.time.Instant.now().getEpochSecond() - 600;
        try (var chain = AnvilNode.start("--timestamp", Long.toString(past))) {
            DemoChain.main(
                    new String[] {chain.rpcUrl(), dir.resolve("demo.properties").toString()});
            long now = java.time.Instant.now().getEpochSecond();
            long latest = OnChainFixtures.chainTime(chain).getEpochSecond();
            assertThat(latest).isBetween(now - 5, now + 1);

            // and it keeps time: a channel created now starts its windows now
            var state = load(dir.resolve("demo.properties"));
            var created = etherChannelOfAccount7(chain, state);
            long createdAt = OnChainFixtures.chainTime(chain).getEpochSecond();
            assertThat(created.release()).isEqualTo(2);
            assertThat(createdAt).isBetween(now - 5, java.time.Instant.now().getEpochSecond() + 1);
        }
    }

    private static Properties load(Path file) throws Exception {
        return DemoState.load(file);
    }

    /** An ether channel of anvil account 7 (owner and signer) through the demo's factory, 1000 wei deposited. */
    static ChannelClient etherChannelOfAccount7(AnvilNode chain, Properties state) {
        return FactoryClient.create(
                chain.web3j(),
                chain.transactionManager(7),
                state.getProperty("FACTORY"),
                new ChannelTerms(
                        chain.account(7).getAddress(),
                        chain.account(7).getAddress(),
                        chain.account(3).getAddress(),
                        chain.account(4).getAddress(),
                        Optional.empty(),
                        PriceTable.of(1, 2),
                        Duration.ofSeconds(60),
                        Duration.ofMinutes(15)),
                Wei.of(1000));
    }
}
