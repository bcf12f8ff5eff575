package io.tollgate.gateway.economics;

import io.tollgate.contracts.channel.ChannelClient;
import io.tollgate.contracts.channel.Deployments;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.contracts.generated.DemoToken;
import io.tollgate.contracts.generated.IntermediaryFactory;
import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.contracts.testing.AnvilNode;
import io.tollgate.contracts.testing.OnChainFixtures;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Release 2's claims measured from receipts: {@code claim} on one channel, and
 * {@code IntermediaryFactory.claimMany} over n channels of the same operator in one transaction, each the
 * first claim of the channels' epoch (the claimed counts' storage is written for the first time) and a later one
 * (it is overwritten: the steady state of a channel that is claimed again and again); and, for the x402 anchor,
 * an ERC-20 {@code transfer} (the least one on-chain payment per call costs).
 */
final class BatchClaims {

    /** One measured transaction: what it covered and its receipt's gas. */
    record Measured(int categories, int channels, boolean first, BigInteger gasUsed, int calldataBytes) {
        BigInteger perChannel() {
            return gasUsed.divide(BigInteger.valueOf(channels));
        }
    }

    /**
     * @param single {@code claim} sent to the channel itself (channels = 1)
     * @param batched {@code claimMany} through the factory
     * @param tokenTransfers an ERC-20 transfer to a new holder, then to an existing one
     * @param unpaid batches whose channels were not paid what they claimed (k/n and what was paid)
     */
    record Result(
            List<Measured> single, List<Measured> batched, List<BigInteger> tokenTransfers, List<String> unpaid) {}

    private static final Credentials SIGNER =
            Credentials.create("8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    /** anvil's default block gas limit: a batch needing more cannot be mined. */
    static final BigInteger BLOCK_GAS_LIMIT = BigInteger.valueOf(30_000_000);

    private final Scenario scenario;

    BatchClaims(Scenario scenario) {
        this.scenario = scenario;
    }

    Result measure(BigInteger baseFee) {
        try (var chain = AnvilNode.start("--block-base-fee-per-gas", baseFee.toString(), "--no-priority-fee")) {
            Web3j web3j = chain.web3j();
            ChannelRun.pinBaseFee(chain, baseFee);
            var admin = chain.transactionManager(0);
            var deployment = Deployments.deploy(web3j, admin);
            var release2 = IntermediaryRelease2.deploy(web3j, admin, new DefaultGasProvider())
                    .send();
            IntermediaryFactory.load(deployment.factory(), web3j, admin, new DefaultGasProvider())
                    .registerRelease(release2.getContractAddress())
                    .send();
            var operator = chain.transactionManager(4);
            var single = new ArrayList<Measured>();
            var unpaid = new ArrayList<String>();
            var batched = new ArrayList<Measured>();
            for (int k : scenario.categories()) {
                PriceTable prices = new PriceTable(Collections.nCopies(k, new Wei(scenario.priceWei())));
                String one = create(chain, deployment.factory(), prices);
                for (int round = 1; round <= 2; round++) {
                    var receipt = send(web3j, operator, one, claimData(web3j, one, prices, round));
                    single.add(new Measured(k, 1, round == 1, receipt.getGasUsed(), bytes(web3j, receipt)));
                }
                for (int n : scenario.batchSizes()) {
                    var channels = new ArrayList<String>();
                    for (int i = 0; i < n; i++) {
                        channels.add(create(chain, deployment.factory(), prices));
                    }
                    for (int round = 1; round <= 2; round++) {
                        var calls = new ArrayList<IntermediaryFactory.ClaimCall>();
                        for (String channel : channels) {
                            calls.add(new IntermediaryFactory.ClaimCall(
                                    channel, BigInteger.ONE, factoryVouchers(channel, prices, round)));
                        }
                        String data = IntermediaryFactory.load(
                                        deployment.factory(),
                                        web3j,
                                        new ReadonlyTransactionManager(web3j, operator.getFromAddress()),
                                        new DefaultGasProvider())
                                .claimMany(calls)
                                .encodeFunctionCall();
                        // not the estimate: a batch whose claims fail (out of gas inside the try) succeeds too, so
                        // the estimate can be too low for the claims to go through; n single claims and a margin
                        boolean first = round == 1;
                        BigInteger alone = single.stream()
                                .filter(m -> m.categories() == k && m.first() == first)
                                .findFirst()
                                .orElseThrow()
                                .gasUsed();
                        BigInteger need = alone.multiply(BigInteger.valueOf(n))
                                .multiply(BigInteger.valueOf(5))
                                .divide(BigInteger.valueOf(4))
                                .add(BigInteger.valueOf(200_000));
                        if (need.compareTo(BLOCK_GAS_LIMIT) > 0) {
                            // does not fit in one block: recorded as such (gas 0); a later round would be a
                            // first claim too, so none is sent
                            batched.add(new Measured(k, n, true, BigInteger.ZERO, 0));
                            batched.add(new Measured(k, n, false, BigInteger.ZERO, 0));
                            break;
                        }
                        var receipt = send(web3j, operator, deployment.factory(), data, need);
                        var failed = IntermediaryFactory.getClaimFailedEvents(receipt);
                        if (!failed.isEmpty()) {
                            throw new IllegalStateException(
                                    failed.size() + " claims of a claimMany batch of " + n + " failed, the first with "
                                            + org.web3j.utils.Numeric.toHexString(failed.getFirst().reason));
                        }
                        batched.add(new Measured(k, n, round == 1, receipt.getGasUsed(), bytes(web3j, receipt)));
                    }
                    // every channel of the batch was paid what its vouchers are worth (two rounds, the second
                    // adding the same again)
                    var paid = ChannelClient.readOnly(web3j, channels.getLast())
                            .state()
                            .earnings();
                    var expected = prices.price(0).times(2L * 100 * k);
                    if (!paid.equals(expected)) {
                        // reported, not hidden: the document marks the batch as not paid in full
                        unpaid.add(k + "/" + n + ": the last channel earned " + paid + " wei, not " + expected);
                    }
                }
            }
            var token = DemoToken.deploy(web3j, chain.transactionManager(1), new DefaultGasProvider())
                    .send();
            token.faucet(BigInteger.TEN.pow(24)).send();
            var transfers = new ArrayList<BigInteger>();
            for (int i = 0; i < 2; i++) {
                transfers.add(token.transfer(chain.account(2).getAddress(), BigInteger.TEN.pow(18))
                        .send()
                        .getGasUsed());
            }
            return new Result(single, batched, transfers, unpaid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("measuring release 2's claims failed", e);
        }
    }

    private String create(AnvilNode chain, String factory, PriceTable prices) {
        return OnChainFixtures.channel(
                        chain,
                        factory,
                        OnChainFixtures.terms(
                                chain, SIGNER.getAddress(), prices, scenario.tolerance(), scenario.closeDelay()),
                        new Wei(scenario.depositWei()))
                .address();
    }

    /** Round r claims 100·r requests in each category of epoch 1. */
    private static List<IntermediaryFactory.Redemption> factoryVouchers(String channel, PriceTable prices, int round) {
        var vouchers = new ArrayList<IntermediaryFactory.Redemption>();
        for (int c = 0; c < prices.categories(); c++) {
            long count = 100L * round;
            vouchers.add(new IntermediaryFactory.Redemption(
                    BigInteger.valueOf(c),
                    BigInteger.valueOf(count),
                    BigInteger.valueOf(count),
                    sign(channel, prices, c, count)));
        }
        return vouchers;
    }

    private static String claimData(Web3j web3j, String channel, PriceTable prices, int round) {
        var vouchers = new ArrayList<IntermediaryRelease2.Redemption>();
        for (int c = 0; c < prices.categories(); c++) {
            long count = 100L * round;
            vouchers.add(new IntermediaryRelease2.Redemption(
                    BigInteger.valueOf(c),
                    BigInteger.valueOf(count),
                    BigInteger.valueOf(count),
                    sign(channel, prices, c, count)));
        }
        return IntermediaryRelease2.load(
                        channel,
                        web3j,
                        new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000"),
                        new DefaultGasProvider())
                .claim(BigInteger.ONE, vouchers)
                .encodeFunctionCall();
    }

    private static byte[] sign(String channel, PriceTable prices, int category, long count) {
        byte[] digest = VoucherSignatures.voucherDigest(AnvilNode.CHAIN_ID, channel, 1, category, count, prices.hash());
        return VoucherSignatures.sign(digest, SIGNER.getEcKeyPair());
    }

    private static int bytes(Web3j web3j, TransactionReceipt receipt) throws IOException {
        String input = web3j.ethGetTransactionByHash(receipt.getTransactionHash())
                .send()
                .getTransaction()
                .orElseThrow()
                .getInput();
        return (input.length() - 2) / 2;
    }

    /** Sends {@code data} with the estimated gas (plus a fifth) and returns the successful receipt. */
    private static TransactionReceipt send(Web3j web3j, TransactionManager from, String to, String data)
            throws Exception {
        return send(web3j, from, to, data, null);
    }

    /** With {@code gasLimit}, or the estimate plus a fifth when null. */
    private static TransactionReceipt send(
            Web3j web3j, TransactionManager from, String to, String data, BigInteger gasLimit) throws Exception {
        var call = Transaction.createFunctionCallTransaction(
                from.getFromAddress(), null, null, null, to, BigInteger.ZERO, data);
        BigInteger gas = gasLimit;
        if (gas == null) {
            var estimate = web3j.ethEstimateGas(call).send();
            if (estimate.hasError()) {
                throw new IllegalStateException(
                        "estimating gas failed: " + estimate.getError().getMessage());
            }
            gas = estimate.getAmountUsed().multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5));
        }
        var sent = from.sendTransaction(web3j.ethGasPrice().send().getGasPrice(), gas, to, data, BigInteger.ZERO);
        if (sent.hasError()) {
            throw new IllegalStateException("not accepted: " + sent.getError().getMessage());
        }
        var receipt = new PollingTransactionReceiptProcessor(web3j, 20, 3000)
                .waitForTransactionReceipt(sent.getTransactionHash());
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("reverted: " + receipt.getTransactionHash());
        }
        return receipt;
    }
}
