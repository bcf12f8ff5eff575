package io.tollgate.gateway.egress;

import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import io.tollgate.settings.Secret;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
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
 * @param caps the most the consumer pays per request of each category of an ether channel, decimal wei; a
 *     channel whose price is higher is refused before anything is signed (empty: the epoch-1 prices)
 * @param topUpKey a funding key (hex) allowed to add ether to the consumer's channels (anyone may deposit);
 *     empty: no top-ups. Never logged
 * @param topUpBelow top up when the provider's gateway reports less remaining credit than this, decimal wei
 * @param topUpAmount how much each top-up adds, decimal wei
 * @param topUp how many top-ups a channel may get (kept in Redis, so a restart does not reset it)
 * @param tokens the same settings for channels holding an ERC-20, keyed by the token's address ({@code
 *     tokens[0x…].top-up-amount=5000000}), in that token's smallest unit. The settings above ({@code caps}, {@code
 *     top-up-*}) are ether's and apply only to ether channels: an ether cap never caps a token channel, and a token
 *     channel whose token is not configured gets no top-ups and is capped at its epoch-1 prices
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
        @DefaultValue @Valid TopUpLimits topUp,
        @DefaultValue Map<String, @Valid TokenEgress> tokens) {

    public EgressProperties {
        tokens = tokens.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    }

    /**
     * Egress settings of channels holding one ERC-20, in its smallest unit; top-ups use the funding key ({@code
     * top-up-key}): one EIP-2612 permit and one {@code depositWithPermit} where the token supports permits,
     * approve then deposit where it does not.
     *
     * @param symbol the token's symbol, for messages ({@code USDT-demo})
     * @param decimals the token's decimals, for messages ({@code 6})
     * @param caps the most paid per request of each category (empty: the channel's epoch-1 prices)
     * @param topUpBelow top up when the provider reports less remaining credit than this
     * @param topUpAmount how much each top-up adds (0: no top-ups of this token's channels)
     * @param topUp the top-up budget of each channel of this token
     */
    public record TokenEgress(
            @DefaultValue("units") String symbol,
            @DefaultValue("0") int decimals,
            @DefaultValue List<Wei> caps,
            @DefaultValue("0") @NotNull Wei topUpBelow,
            @DefaultValue("0") @NotNull Wei topUpAmount,
            @DefaultValue @Valid TopUpLimits topUp) {

        public TokenUnit unit() {
            return new TokenUnit(symbol, decimals);
        }
    }

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
