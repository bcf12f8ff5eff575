package io.tollgate.gateway.egress;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Egress mode: this gateway pays, on behalf of the consumer's own services, for the requests they send out
 * through {@code Sign} routes.
 *
 * @param signerKey the consumer's signer (hot) key, hex; it signs vouchers for its channels and nothing else.
 *     Pass it through the environment ({@code TOLLGATE_GATEWAY_EGRESS_SIGNER_KEY}); it is never logged
 * @param counters the file the cumulative voucher counts are kept in (written ahead, fsynced)
 * @param caps the most the consumer pays per request of each category, decimal wei; a channel whose price is
 *     higher is refused before anything is signed (empty: no cap)
 * @param topUpKey a funding key (hex) allowed to add ether to the consumer's channels (anyone may deposit);
 *     empty: no top-ups. Never logged
 * @param topUpBelow top up when the provider's gateway reports less remaining credit than this, decimal wei
 * @param topUpAmount how much each top-up adds, decimal wei
 * @param topUp how many top-ups a channel may get (kept in Redis, so a restart does not reset it)
 */
@ConfigurationProperties("tollgate.gateway.egress")
public record EgressProperties(
        @DefaultValue("") String signerKey,
        @DefaultValue("./.tollgate/egress-counters.log") Path counters,
        @DefaultValue List<String> caps,
        @DefaultValue("") String topUpKey,
        @DefaultValue("0") String topUpBelow,
        @DefaultValue("0") String topUpAmount,
        @DefaultValue TopUpLimits topUp) {

    /**
     * The top-up budget of each channel: the remaining credit is what the provider reports, so these bound what
     * a provider that always reports zero can draw from the funding key.
     *
     * @param maxPerPeriod at most this many top-ups of one channel within any {@code period}
     * @param period the sliding window of {@code maxPerPeriod}
     * @param maxTotal at most this much in all top-ups of one channel, decimal wei; empty: ten top-ups
     */
    public record TopUpLimits(
            @DefaultValue("3") int maxPerPeriod,
            @DefaultValue("1h") java.time.Duration period,
            @DefaultValue("") String maxTotal) {

        /** The total, ten top-ups of {@code amount} when not configured. */
        public io.tollgate.pricing.Wei maxTotalWei(io.tollgate.pricing.Wei amount) {
            return maxTotal.isBlank() ? amount.times(10) : io.tollgate.pricing.Wei.parse(maxTotal);
        }
    }

    @Override
    public String toString() {
        return "EgressProperties[signerKey=" + (signerKey.isEmpty() ? "none" : "(set)") + ", counters=" + counters
                + ", caps=" + caps + ", topUpKey=" + (topUpKey.isEmpty() ? "none" : "(set)") + ", topUpBelow="
                + topUpBelow + ", topUpAmount=" + topUpAmount + ", topUp=" + topUp + "]";
    }
}
