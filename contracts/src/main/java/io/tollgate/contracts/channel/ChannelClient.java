package io.tollgate.contracts.channel;

import io.tollgate.contracts.generated.IntermediaryRelease2;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.Wei;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.TransactionManager;

/**
 * One channel seen from one key: reads its state ({@link ChannelReader}) and sends the lifecycle transactions
 * that key may send: the consumer's ({@link ConsumerTransactions}), the provider's redemptions ({@link
 * RedemptionTransactions}), the one-step SLA ({@link SlaTransactions}) and the consented upgrade ({@link
 * UpgradeTransactions}). Every transaction is simulated first and sent as {@link TransactionSender} says: a
 * refusal is a {@link ChannelRevertedException} naming the contract's custom error, and nothing is sent.
 *
 * <p>It speaks both releases of the Intermediary: {@link #release()} tells which one a channel runs (asked once),
 * and the calls of one release only ({@link #startRedemption}/{@link #finishRedemption} of release 1, {@link
 * #claim}/{@link #startEpoch}/{@link #replaceOperator}/{@link #credit} of release 2) are refused by the other's
 * contract. Creating channels is {@link FactoryClient}'s, deploying releases {@link Deployments}', and what code
 * an address holds {@link ChannelCode}'s.
 */
public final class ChannelClient {
    private final String channel;
    private final ChannelReader reads;
    private final ConsumerTransactions consumer;
    private final RedemptionTransactions redemption;
    private final SlaTransactions sla;
    private final UpgradeTransactions upgrade;

    /** Fees asked of the node for each transaction, at most {@code gasPriceCeiling} wei per gas (0: no ceiling). */
    public ChannelClient(Web3j web3j, String channel, TransactionManager transactions, BigInteger gasPriceCeiling) {
        this(web3j, channel, transactions, FeeEstimator.uncached(web3j, new Wei(gasPriceCeiling)));
    }

    /** Fees from {@code fees} ({@link FeeEstimator#fresh()} for each transaction), capped at its ceiling. */
    public ChannelClient(Web3j web3j, String channel, TransactionManager transactions, FeeEstimator fees) {
        var sender = new TransactionSender(web3j, transactions, fees);
        this.channel = channel;
        var calls = ChannelCalls.of(web3j, channel, transactions, sender);
        this.reads = new ChannelReader(calls);
        this.consumer = new ConsumerTransactions(calls);
        this.redemption = new RedemptionTransactions(calls);
        this.sla = new SlaTransactions(calls);
        this.upgrade = new UpgradeTransactions(calls);
    }

    /** A client that only reads (and encodes calls for others to send). */
    public static ChannelClient readOnly(Web3j web3j, String channel) {
        return new ChannelClient(
                web3j,
                channel,
                new ReadonlyTransactionManager(web3j, "0x0000000000000000000000000000000000000000"),
                BigInteger.ZERO);
    }

    public String address() {
        return channel;
    }

    /**
     * Who a channel belongs to and how it runs.
     *
     * @param token the ERC-20 it holds, {@code 0x0…0} for ether
     */
    public record Parties(
            String factory, String owner, String payout, String token, Duration tolerance, Duration closeDelay) {}

    /**
     * Release 2: what the consumer's vouchers may be worth in all, for the exposure check ({@code credit()}).
     *
     * @param oldestOpenEpoch epochs below it were finished by release 1 (redeemed, never claimed again)
     * @param claimedValue the value already claimed of the epochs from {@code oldestOpenEpoch} on
     * @param total the unredeemed deposit plus {@code claimedValue}: Σ best count × price over the open epochs
     *     may reach it
     */
    public record Credit(long oldestOpenEpoch, Wei claimedValue, Wei total) {}

    /** A monitor's signed availability for a window: 65 bytes r ‖ s ‖ v over the window report digest. */
    public record WindowReport(int availabilityBps, byte[] signature) {}

    /**
     * What one claim paid, from its {@code Claimed} event.
     *
     * @param counts the requests paid for, per category (0 for categories not claimed)
     * @param amount the wei moved into the provider's earnings
     */
    public record Claimed(String transactionHash, long epoch, List<Long> counts, Wei amount) {
        static Claimed of(TransactionReceipt receipt, IntermediaryRelease2.ClaimedEventResponse event) {
            return new Claimed(
                    receipt.getTransactionHash(),
                    event.epoch.longValueExact(),
                    event.counts.stream().map(BigInteger::longValueExact).toList(),
                    new Wei(event.amount));
        }
    }

    // ------------------------------------------------------------------------------------------------ reads

    public ChannelState state() {
        return reads.state();
    }

    /** The parties and terms fixed at creation. */
    public Parties parties() {
        return reads.parties();
    }

    /** T_r and T_c, fixed at creation (read from {@link #parties()}). */
    public ChannelTimes times() {
        return ChannelTimes.of(parties());
    }

    /** The price table of {@code epoch} (empty for an epoch that never opened). */
    public PriceTable pricesOf(long epoch) {
        return reads.pricesOf(epoch);
    }

    /** The signer whose vouchers count in {@code epoch}. */
    public String signerOf(long epoch) {
        return reads.signerOf(epoch);
    }

    /** The counts redeemed in {@code epoch}, per category. */
    public List<Long> redeemedCounts(long epoch) {
        return reads.redeemedCounts(epoch);
    }

    /** The SLA terms fixed at creation ({@link SlaTerms#none()} for a channel without). */
    public SlaTerms slaTerms() {
        return reads.slaTerms();
    }

    /** Whether {@code window} was reported (and its penalty, if any, paid); each window is reported once. */
    public boolean windowReported(long window) {
        return reads.windowReported(window);
    }

    /** The contract's own EIP-712 digest of a monitor's window report. */
    public byte[] windowReportDigest(long window, int availabilityBps) {
        return reads.windowReportDigest(window, availabilityBps);
    }

    /** The contract's own EIP-712 digest of a voucher (to hold client code to it). */
    public byte[] voucherDigest(long epoch, int category, long count, byte[] priceTableHash) {
        return reads.voucherDigest(epoch, category, count, priceTableHash);
    }

    /**
     * The release of the Intermediary the channel runs ({@link ChannelCode#releaseOf}). Asked of the chain once per
     * client; an upgrade makes a new client necessary.
     */
    public int release() {
        return reads.release();
    }

    /** Release 2: {@link Credit} as the channel computes it (a release-1 channel refuses the call). */
    public Credit credit() {
        return reads.credit();
    }

    /** The upgrade nonce the next consent of both parties must carry. */
    public BigInteger upgradeNonce() {
        return reads.upgradeNonce();
    }

    /** The EIP-712 type hash of the channel's upgrade consent, which tells its consent format. */
    public byte[] upgradeConsentTypehash() {
        return reads.upgradeConsentTypehash();
    }

    /** Release 1: the digest owner and payout sign to consent to an upgrade (without the migration data). */
    public byte[] upgradeConsentDigest(String implementation, BigInteger nonce, BigInteger deadline) {
        return reads.upgradeConsentDigest(implementation, nonce, deadline);
    }

    /**
     * Release 2: the digest owner and payout sign to consent to an upgrade whose migration call's data has the
     * keccak-256 {@code dataHash}.
     */
    public byte[] upgradeConsentDigest(String implementation, byte[] dataHash, BigInteger nonce, BigInteger deadline) {
        return reads.upgradeConsentDigest(implementation, dataHash, nonce, deadline);
    }

    // ----------------------------------------------------------------------------------------- transactions

    /** Consumer: adds ether to the deposit. */
    public TransactionReceipt depositEther(Wei amount) {
        return consumer.depositEther(amount);
    }

    /** Consumer: approves the channel's token and adds it to the deposit. */
    public TransactionReceipt depositToken(String token, Wei amount) {
        return consumer.depositToken(token, amount);
    }

    /** Owner: asks to close at now + T_c. */
    public TransactionReceipt requestClose() {
        return consumer.requestClose();
    }

    /** Payout at any time, owner after the close time: refunds the rest of the deposit. */
    public TransactionReceipt close() {
        return consumer.close();
    }

    /** Owner: the signer from the next epoch on. */
    public TransactionReceipt rotateSigner(String signer) {
        return consumer.rotateSigner(signer);
    }

    /** Provider (anyone may): adds ether to the SLA collateral penalties are paid from. */
    public TransactionReceipt depositCollateral(Wei amount) {
        return sla.depositCollateral(amount);
    }

    /**
     * Anyone, once {@code window} has ended: submits at least quorum signed reports of distinct monitors; the
     * contract pays the median's tier penalty from the collateral into the consumer's deposit.
     */
    public TransactionReceipt reportWindow(long window, List<WindowReport> reports) {
        return sla.reportWindow(window, reports);
    }

    /** Operator: the active epoch starts expiring; the next opens with {@code newPrices}. */
    public TransactionReceipt startRedemption(PriceTable newPrices) {
        return redemption.startRedemption(newPrices);
    }

    /** Operator, after T_r: redeems the expiring epoch with the best voucher of each category. */
    public TransactionReceipt finishRedemption(long epoch, List<SignedVoucher> vouchers) {
        return redemption.finishRedemption(epoch, vouchers);
    }

    /**
     * Release 2, operator or payout: pays, per voucher, (claimed − claimed before) × price of its category; the
     * epoch stays open. A voucher whose claimed count is not above what was claimed before is refused
     * ({@code ClaimNotAbove}): send only the categories with more to pay.
     */
    public Claimed claim(long epoch, List<SignedVoucher> vouchers) {
        return redemption.claim(epoch, vouchers);
    }

    /**
     * Release 2, operator or payout: the active epoch starts expiring (still accepted for T_r, still claimable)
     * and the next one opens with {@code newPrices} and the pending signer. Only for a new table or signer.
     */
    public TransactionReceipt startEpoch(PriceTable newPrices) {
        return redemption.startEpoch(newPrices);
    }

    /** Release 2, payout: replaces the operator at once (a leaked operator key is stopped by the cold key). */
    public TransactionReceipt replaceOperator(String newOperator) {
        return redemption.replaceOperator(newOperator);
    }

    /** Anyone: pays the provider's earnings to its payout address. */
    public TransactionReceipt withdraw() {
        return redemption.withdraw();
    }

    /**
     * Anyone, with both parties' consent signatures over the consent digest of the channel's release ({@link
     * #upgradeConsentDigest}): moves the channel to {@code implementation} (a release registered in its factory)
     * and calls it with {@code data} (empty: no migration call). Same call on both releases.
     */
    public TransactionReceipt upgradeWithConsent(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return upgrade.upgradeWithConsent(implementation, data, deadline, ownerConsent, payoutConsent);
    }

    /** The data of {@link #upgradeWithConsent}, for any wallet to send to the channel. */
    public String upgradeWithConsentData(
            String implementation, byte[] data, BigInteger deadline, byte[] ownerConsent, byte[] payoutConsent) {
        return upgrade.upgradeWithConsentData(implementation, data, deadline, ownerConsent, payoutConsent);
    }
}
