package io.tollgate.gateway.egress;

import io.tollgate.pricing.Wei;
import io.tollgate.settings.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
@Validated
@ConfigurationProperties("tollgate.gateway.egress")
public record EgressProperties(
        @DefaultValue("") Secret signerKey,
        @DefaultValue("./.tollgate/egress-counters.log") Path counters,
        @DefaultValue List<Wei> caps,
        @DefaultValue("") Secret topUpKey,
        @DefaultValue("0") @NotNull Wei topUpBelow,
        @DefaultValue("0") @NotNull Wei topUpAmount,
        @DefaultValue @Valid TopUpLimits topUp) {

    /**
     * The top-up budget of each channel: the remaining credit is what the provider reports, so these bound what
     * a provider that always reports zero can draw from the funding key.
     *
     * @param maxPerPeriod at most this many top-ups of one channel within any {@code period}
     * @param period the sliding window of {@code maxPerPeriod}
     * @param maxTotal at most this much in all top-ups of one channel, decimal wei; empty: ten top-ups
     */
    public record TopUpLimits(
            @DefaultValue("3") @Min(1) int maxPerPeriod,
            @DefaultValue("1h") Duration period,
            @Nullable Wei maxTotal) {

        /** The total, ten top-ups of {@code amount} when not configured. */
        public Wei maxTotalWei(Wei amount) {
            return maxTotal == null ? amount.times(10) : maxTotal;
        }
    }
}
