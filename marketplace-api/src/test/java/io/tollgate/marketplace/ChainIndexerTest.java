package io.tollgate.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chain indexer on a real chain: decoding, confirmations, idempotence, re-orgs, restarts, the inspector. */
class ChainIndexerTest extends ChainTestBase {
    private List<Map<String, Object>> events(String channel) {
        return jdbc.queryForList(
                "select name, amount_wei, args::text as args, block_number from chain_event where channel = ? order by block_number, log_index",
                channel);
    }

    private List<BigInteger> deposits(String channel) {
        return jdbc
                .queryForList(
                        "select amount_wei from chain_event where channel = ? and name = 'Deposited' order by block_number",
                        java.math.BigDecimal.class,
                        channel)
                .stream()
                .map(java.math.BigDecimal::toBigIntegerExact)
                .toList();
    }

    @Test
    void indexesTheFactoryAndItsChannelsDecodedAndIndexingTwiceChangesNothing() {
        var channel = openChannel(OWNER, 1, new Wei(new BigInteger("50000000000000000")));
        channel.depositEther(Wei.of(7));
        catchUp(indexer(0));

        var names = events(channel.address()).stream().map(e -> e.get("name")).toList();
        // the proxy's own events come first, in log order, then the factory's
        assertThat(names)
                .containsExactly(
                        "Upgraded", "ChannelOpened", "Deposited", "Initialized", "ChannelCreated", "Deposited");
        assertThat(deposits(channel.address()))
                .containsExactly(new BigInteger("50000000000000000"), BigInteger.valueOf(7));
        var row =
                jdbc.queryForMap("select owner, payout, state from chain_channel where channel = ?", channel.address());
        assertThat(row)
                .containsEntry("owner", OWNER.getAddress().toLowerCase())
                .containsEntry("payout", PAYOUT.getAddress().toLowerCase())
                .containsEntry("state", "OPEN");
        var methods = jdbc.queryForList("""
                select t.method from chain_transaction t where t.hash in
                  (select tx_hash from chain_event where channel = ?) order by t.block_number""", String.class, channel.address());
        assertThat(methods).containsExactly("createChannel", "deposit");
        var depositCall = jdbc.queryForObject(
                "select args::text from chain_transaction where method = 'deposit' and hash in (select tx_hash from chain_event where channel = ?)",
                String.class,
                channel.address());
        assertThat(JsonPath.<String>read(depositCall, "$.amount")).isEqualTo("7");

        int before = events(channel.address()).size();
        jdbc.update("delete from chain_cursor"); // as if the cursor were lost: everything is read again
        catchUp(indexer(0));
        assertThat(events(channel.address())).hasSize(before);
    }

    @Test
    void waitsForItsConfirmationsBeforeIndexingABlock() {
        var channel = openChannel(OWNER, 1, Wei.of(1_000));
        var careful = indexer(3);
        catchUp(careful);
        channel.depositEther(Wei.of(21));
        catchUp(careful);
        assertThat(deposits(channel.address())).doesNotContain(BigInteger.valueOf(21));

        chain.mine();
        chain.mine();
        chain.mine();
        catchUp(careful);
        assertThat(deposits(channel.address())).contains(BigInteger.valueOf(21));
    }

    @Test
    void undoesARe_orgDeeperThanItsConfirmationsAndIndexesTheNewChain() {
        var channel = openChannel(OWNER, 1, Wei.of(1_000));
        var eager = indexer(0);
        catchUp(eager);
        channel.depositEther(Wei.of(11));
        catchUp(eager);
        assertThat(deposits(channel.address())).contains(BigInteger.valueOf(11));

        chain.reorg(1); // the block with the deposit is replaced by an empty one
        var progress = eager.poll();
        assertThat(progress.rolledBackTo()).isGreaterThanOrEqualTo(0);
        catchUp(eager);
        assertThat(deposits(channel.address())).doesNotContain(BigInteger.valueOf(11));
        String head = jdbc.queryForObject("select block_hash from chain_cursor where name = 'main'", String.class);
        assertThat(head)
                .isEqualTo(chain.web3j()
                        .ethGetBlockByNumber(
                                org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(
                                        jdbc.queryForObject("select block_number from chain_cursor", Long.class))),
                                false)
                        .sendAsync()
                        .join()
                        .getBlock()
                        .getHash());

        channel.depositEther(Wei.of(12)); // the new chain goes on and is indexed
        catchUp(eager);
        assertThat(deposits(channel.address())).contains(BigInteger.valueOf(12));
    }

    @Test
    void aRestartedIndexerResumesFromItsCursor() {
        var channel = openChannel(OWNER, 1, Wei.of(1_000));
        catchUp(indexer(0));
        long cursor = jdbc.queryForObject("select block_number from chain_cursor", Long.class);
        channel.depositEther(Wei.of(5));
        channel.depositEther(Wei.of(6));

        var restarted = indexer(0); // a new process: nothing in memory, only the database
        var progress = restarted.poll();
        assertThat(progress.indexedTo()).isEqualTo(cursor + 2);
        assertThat(progress.events()).as("only the two new deposits were read").isEqualTo(2);
        assertThat(deposits(channel.address()))
                .containsExactly(BigInteger.valueOf(1_000), BigInteger.valueOf(5), BigInteger.valueOf(6));
    }

    @Test
    void theInspectorIsForOperatorsAndShowsCallsAndEventsDecoded() throws Exception {
        var channel = openChannel(OTHER_CONSUMER, 6, Wei.of(3_000));
        channel.requestClose();
        catchUp(indexer(0));

        var consumer = signInAs(OTHER_CONSUMER);
        var refused = send("GET", "/api/inspector/status", "", consumer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(send("GET", "/api/graph", "", consumer).statusCode()).isEqualTo(403);

        var operator = signInAs(MARKET_OPERATOR);
        var status = send("GET", "/api/inspector/status", "", operator);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<Integer>read(status.body(), "$.channels")).isGreaterThanOrEqualTo(1);

        var transactions = send("GET", "/api/inspector/transactions?channel=" + channel.address(), "", operator);
        assertThat(transactions.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(transactions.body(), "$[*].method"))
                .containsExactly("requestClose", "createChannel");
        assertThat(JsonPath.<List<String>>read(transactions.body(), "$[1].events[*].name"))
                .contains("ChannelCreated", "Deposited");
        assertThat(JsonPath.<List<String>>read(
                        transactions.body(), "$[1].events[?(@.name == 'Deposited')].args.amount"))
                .containsExactly("3000");
        assertThat(jdbc.queryForObject(
                        "select state from chain_channel where channel = ?", String.class, channel.address()))
                .isEqualTo("CLOSING");

        var bad = send("GET", "/api/inspector/transactions?channel=0x123", "", operator);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("0x and 40 hex digits");
    }

    @Test
    void aSubscriptionFollowsItsChannelOnChain() throws Exception {
        var consumerKey = NegotiationTest.CONSUMER;
        chain.setBalance(consumerKey.getAddress(), BigInteger.TEN.pow(20));
        String consumer = signInAs(consumerKey);
        var asked = send(
                "POST",
                "/api/listings/quotes/negotiations",
                "{\"depositWei\":\"1000000\",\"expectedRequests\":10}",
                consumer);
        long negotiation = ((Number) JsonPath.read(asked.body(), "$.id")).longValue();
        send(
                "POST",
                "/api/negotiations/" + negotiation + "/counter",
                "{\"pricesWei\":[\"450000000000\",\"3900000000000\",\"19000000000000\"]}",
                signInAs(ListingOwnershipTest.QUOTIENT));
        send("POST", "/api/negotiations/" + negotiation + "/accept", "", consumer);
        var prepared = prepareSubscription(negotiation, SIGNER.getAddress(), "1000000", consumer);
        assertThat(prepared.statusCode()).as(prepared.body()).isEqualTo(201);
        var wallet = new org.web3j.tx.RawTransactionManager(
                chain.web3j(),
                consumerKey,
                io.tollgate.contracts.testing.AnvilNode.CHAIN_ID,
                new org.web3j.tx.response.PollingTransactionReceiptProcessor(chain.web3j(), 50, 200));
        var receipt = sendPrepared(wallet, 3_000_000, prepared);
        String channel = io.tollgate.contracts.generated.IntermediaryFactory.getChannelCreatedEvents(receipt)
                .getFirst()
                .channel
                .toLowerCase();
        long subscription = ((Number) JsonPath.read(prepared.body(), "$.subscription")).longValue();
        postChannel(subscription, channel, consumer);
        String path = "$[?(@.channel == '" + channel + "')].chainState";

        catchUp(indexer(0));
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/subscriptions", "", consumer).body(), path))
                .containsExactly("OPEN");

        new io.tollgate.contracts.channel.ChannelClient(chain.web3j(), channel, wallet, BigInteger.TEN.pow(12))
                .requestClose();
        catchUp(indexer(0));
        assertThat(JsonPath.<List<String>>read(
                        send("GET", "/api/subscriptions", "", consumer).body(), path))
                .containsExactly("CLOSING");
    }
}
