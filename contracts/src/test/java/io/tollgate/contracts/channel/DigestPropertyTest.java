package io.tollgate.contracts.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random vouchers give the same EIP-712 digest in Java as in the contract's {@code voucherDigest} view. */
class DigestPropertyTest {
    static AnvilNode chain;
    static ChannelClient channel;

    @BeforeContainer
    static void start() {
        chain = AnvilNode.start();
        var deployment = Deployments.deploy(chain.web3j(), chain.transactionManager(0));
        var terms = OnChainFixtures.terms(chain, PriceTable.of(1, 2), Duration.ofSeconds(60), Duration.ofSeconds(900));
        channel = OnChainFixtures.channel(chain, deployment.factory(), terms, Wei.ZERO);
    }

    @AfterContainer
    static void stop() {
        chain.close();
    }

    @Property(tries = 60)
    void javaAndSolidityAgreeOnEveryVoucherDigest(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long epoch,
            @ForAll @IntRange(min = 0, max = 255) int category,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long count,
            @ForAll @Size(32) byte[] priceTableHash) {
        byte[] java = VoucherSignatures.voucherDigest(
                AnvilNode.CHAIN_ID, channel.address(), epoch, category, count, priceTableHash);
        assertThat(java).isEqualTo(channel.voucherDigest(epoch, category, count, priceTableHash));
    }
}
