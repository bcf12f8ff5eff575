package io.tollgate.marketplace;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.ChannelTerms;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.marketplace.chain.ChainIndexer;
import io.tollgate.marketplace.chain.IndexerProperties;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * One real chain (anvil) with our factory for the indexer, billing and inspector tests, which share this
 * Spring context. anvil's public test accounts: 0 deploys, 1 and 6 are consumers, 2 signs, 3 is the provider's
 * payout, 4 its operator, 5 the marketplace operator. anvil stops with the JVM (its shutdown hook), after the
 * cached context that uses it.
 */
public abstract class ChainTestBase extends MarketplaceTestBase {
    protected static final AnvilNode chain = AnvilNode.start();
    protected static final Deployments.Deployment deployment =
            Deployments.deploy(chain.web3j(), chain.transactionManager(0));
    protected static final Credentials OWNER = chain.account(1);
    protected static final Credentials OTHER_CONSUMER = chain.account(6);
    protected static final Credentials SIGNER = chain.account(2);
    protected static final Credentials PAYOUT = chain.account(3);
    protected static final Credentials CHANNEL_OPERATOR = chain.account(4);
    protected static final Credentials MARKET_OPERATOR = chain.account(5);
    protected static final BigInteger ETHER = BigInteger.TEN.pow(18);
    protected static final PriceTable PRICES = PriceTable.of(1_000_000_000_000L, 2_500_000_000_000L);

    @Autowired
    protected ChainIndexer indexer;

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void chain(DynamicPropertyRegistry registry) {
        registry.add("tollgate.chain.rpc-url", chain::rpcUrl);
        registry.add("tollgate.chain.factories[0]", deployment::factory);
        registry.add("tollgate.indexer.confirmations", () -> "0");
        registry.add("tollgate.identity.operators[0]", MARKET_OPERATOR::getAddress);
    }

    protected static ChannelClient openChannel(Credentials owner, int ownerIndex, Wei deposit) {
        var terms = new ChannelTerms(
                owner.getAddress(),
                SIGNER.getAddress(),
                PAYOUT.getAddress(),
                CHANNEL_OPERATOR.getAddress(),
                Optional.empty(),
                PRICES,
                Duration.ofSeconds(60),
                Duration.ofSeconds(600));
        return FactoryClient.create(
                chain.web3j(), chain.transactionManager(ownerIndex), deployment.factory(), terms, deposit);
    }

    /** Polls until the indexer has every block the node has (confirmations 0). */
    protected ChainIndexer.Progress catchUp(ChainIndexer which) {
        ChainIndexer.Progress progress;
        int polls = 0;
        do {
            progress = which.poll();
        } while (!progress.caughtUp(which.properties().confirmations()) && ++polls < 50);
        return progress;
    }

    protected ChainIndexer indexer(int confirmations) {
        return indexer.with(new IndexerProperties(false, confirmations, Duration.ofSeconds(1), 500, 0));
    }

    /** A party with a key of its own, its address in lower case and a transaction manager for it on the chain. */
    protected record Party(Credentials key, String address, TransactionManager transactions) {}

    /** A fresh party with 10 ether: figures of the party's own are exact, whatever other tests did. */
    protected Party fresh() {
        try {
            var key = Credentials.create(Keys.createEcKeyPair());
            chain.setBalance(key.getAddress(), ETHER.multiply(BigInteger.TEN));
            return new Party(
                    key,
                    key.getAddress().toLowerCase(Locale.ROOT),
                    new RawTransactionManager(
                            chain.web3j(),
                            key,
                            AnvilNode.CHAIN_ID,
                            new PollingTransactionReceiptProcessor(chain.web3j(), 50, 600)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code value} wei and {@code data} to {@code to} from {@code wallet} (gas limit {@code gas}), then waits. */
    protected TransactionReceipt sendAndWait(
            TransactionManager wallet, long gas, String to, String data, BigInteger value) throws Exception {
        var sent = wallet.sendTransaction(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(gas), to, data, value);
        return new PollingTransactionReceiptProcessor(chain.web3j(), 50, 200)
                .waitForTransactionReceipt(sent.getTransactionHash());
    }

    /** Sends the transaction a prepare call answered ({@code $.to}, {@code $.data}, {@code $.valueWei}) as a wallet. */
    protected TransactionReceipt sendPrepared(TransactionManager wallet, long gas, HttpResponse<String> prepared)
            throws Exception {
        return sendAndWait(
                wallet,
                gas,
                JsonPath.read(prepared.body(), "$.to"),
                JsonPath.read(prepared.body(), "$.data"),
                new BigInteger(JsonPath.<String>read(prepared.body(), "$.valueWei")));
    }
}
