package io.tollgate.marketplace.catalogue;

import io.tollgate.protocol.Address;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A listing as a provider writes it. Amounts are decimal strings, never JSON numbers: each either in the token's
 * base units ({@code priceWei}, {@code collateralWei}, {@code penaltyWei}: wei for ether, the smallest unit of an
 * ERC-20) or in its whole units ({@code price}, {@code collateral}, {@code penalty}: "0.001"), or both when they
 * agree ({@link ListingAmounts} turns whole units into base units once the token is known).
 *
 * @param routes method, path pattern (served at {@code /<slug><path>} by gateways) and category
 * @param sla SLA terms every channel of the listing is created with; null: none
 * @param token the ERC-20 address channels of the listing are funded in; null, empty or {@code ether}: ether. Its
 *     symbol and decimals are read from the chain when the listing is saved
 */
public record ListingCommand(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "2-63 lower-case letters, digits, dashes")
        String slug,

        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,

        /** Checked further by the upstream policy (addresses, user info) when the listing is saved. */
        @NotBlank @Size(max = 2000) String upstreamUrl,

        @Pattern(regexp = "https?://[^\\s]{1,2000}", message = "an http(s) URL")
        String docsUrl,

        @NotNull @Size(min = 1, max = 16, message = "1 to 16 categories")
        List<@Valid CategoryCommand> categories,

        @NotNull @Size(min = 1, max = 64, message = "1 to 64 routes")
        List<@Valid RouteCommand> routes,

        @Valid SlaCommand sla,

        @org.jspecify.annotations.Nullable
        @Pattern(regexp = "|ether|" + Address.REGEX, message = "an ERC-20 address (0x + 40 hex digits), or 'ether'")
        String token) {

    /** An amount of base units as a decimal string. */
    static final String BASE_UNITS = "0|[1-9][0-9]{0,77}";

    static final String BASE_UNITS_MESSAGE = "a decimal amount of base units without sign, point or exponent";

    /** Absent, not digits (the pattern's error), or at most 2^256 - 1. */
    static boolean fitsUint256(String amount) {
        return amount == null || !amount.matches("[0-9]+") || new java.math.BigInteger(amount).bitLength() <= 256;
    }

    /** A listing in ether. */
    public ListingCommand(
            String slug,
            String name,
            String description,
            String upstreamUrl,
            String docsUrl,
            List<CategoryCommand> categories,
            List<RouteCommand> routes,
            SlaCommand sla) {
        this(slug, name, description, upstreamUrl, docsUrl, categories, routes, sla, null);
    }

    /** The ERC-20's lower-case address; empty for ether. */
    public java.util.Optional<String> tokenAddress() {
        return token == null || token.isEmpty() || token.equals("ether")
                ? java.util.Optional.empty()
                : java.util.Optional.of(token.toLowerCase(java.util.Locale.ROOT));
    }

    /** This command with these categories and terms (their amounts in base units). */
    ListingCommand withAmounts(List<CategoryCommand> categories, SlaCommand sla) {
        return new ListingCommand(slug, name, description, upstreamUrl, docsUrl, categories, routes, sla, token);
    }

    /**
     * @param priceWei the price in base units (wei, or the token's smallest unit)
     * @param price the price in whole units of the listing's token ("0.001"); given alone or agreeing with priceWei
     */
    public record CategoryCommand(
            @NotBlank @Size(max = 64) String name,

            @Pattern(regexp = BASE_UNITS, message = BASE_UNITS_MESSAGE)
            String priceWei,

            @Size(max = 100) String price) {

        public CategoryCommand(String name, String priceWei) {
            this(name, priceWei, null);
        }

        @AssertTrue(message = "give the price as 'price' (whole units, such as 0.001) or 'priceWei' (base units)")
        public boolean isPriceGiven() {
            return priceWei != null || price != null;
        }

        @AssertTrue(message = "at most 2^256 - 1 base units")
        public boolean isPriceUint256() {
            return fitsUint256(priceWei);
        }
    }

    public record RouteCommand(
            @NotNull @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE|\\*", message = "GET, POST, PUT, PATCH, DELETE or *")
            String method,

            @NotBlank @Pattern(regexp = "/[A-Za-z0-9/_*{}.-]{0,200}", message = "a path pattern starting with /")
            String path,

            int category) {}

    @AssertTrue(message = "every route's category must be one of the listing's categories")
    public boolean isEveryRouteCategoryKnown() {
        return categories == null
                || routes == null
                || routes.stream().allMatch(r -> r.category() >= 0 && r.category() < categories.size());
    }

    /**
     * SLA terms: the availability promised per window, the penalty tiers paid from the provider's collateral, the
     * monitors whose signed reports count and how many a window needs.
     *
     * @param windowSeconds whole minutes, so that windows cover whole rows of the per-minute measurements
     * @param collateralWei what the provider promises to deposit into each channel
     * @param probePath the path under the upstream that monitors probe
     * @param reportPeriodSeconds how long after a window's end monitor reports may be added on chain (release 2
     *     settles a window after it); null: one window length; 1 s to 16 windows
     */
    public record SlaCommand(
            @Min(value = 1, message = "1 to 10000 basis points")
            @Max(value = 10_000, message = "1 to 10000 basis points")
            int targetBps,

            @Min(value = 60, message = "at least 60 seconds") @Max(value = 31_536_000, message = "at most a year")
            long windowSeconds,

            @NotNull @Size(min = 1, max = 8, message = "1 to 8 penalty tiers")
            List<@Valid TierCommand> tiers,

            @NotNull @Size(min = 1, max = 16, message = "1 to 16 monitors")
            List<@NotNull @Pattern(regexp = Address.REGEX, message = "an address 0x + 40 hex digits") String> monitors,

            @Min(value = 1, message = "at least 1") int quorum,

            @Pattern(regexp = BASE_UNITS, message = BASE_UNITS_MESSAGE)
            String collateralWei,

            @NotNull @Pattern(regexp = "/[A-Za-z0-9/_.-]{0,200}", message = "a path starting with /")
            String probePath,

            @org.jspecify.annotations.Nullable Long reportPeriodSeconds,

            /** The collateral in whole units of the listing's token; given alone or agreeing with collateralWei. */
            @org.jspecify.annotations.Nullable @Size(max = 100)
            String collateral) {

        public SlaCommand(
                int targetBps,
                long windowSeconds,
                List<TierCommand> tiers,
                List<String> monitors,
                int quorum,
                String collateralWei,
                String probePath,
                Long reportPeriodSeconds) {
            this(
                    targetBps,
                    windowSeconds,
                    tiers,
                    monitors,
                    quorum,
                    collateralWei,
                    probePath,
                    reportPeriodSeconds,
                    null);
        }

        @AssertTrue(message = "give the collateral as 'collateral' (whole units) or 'collateralWei' (base units)")
        public boolean isCollateralGiven() {
            return collateralWei != null || collateral != null;
        }

        SlaCommand withAmounts(List<TierCommand> tiers, String collateralWei) {
            return new SlaCommand(
                    targetBps,
                    windowSeconds,
                    tiers,
                    monitors,
                    quorum,
                    collateralWei,
                    probePath,
                    reportPeriodSeconds,
                    collateral);
        }

        /** The terms without a report period: one window length. */
        public SlaCommand(
                int targetBps,
                long windowSeconds,
                List<TierCommand> tiers,
                List<String> monitors,
                int quorum,
                String collateralWei,
                String probePath) {
            this(targetBps, windowSeconds, tiers, monitors, quorum, collateralWei, probePath, null, null);
        }

        /** How long after a window's end reports may be added (release 2): one window length unless given. */
        public long reportPeriod() {
            return reportPeriodSeconds == null ? windowSeconds : reportPeriodSeconds;
        }

        @AssertTrue(message = "the report period must be 1 second to 16 windows")
        public boolean isReportPeriodWithinSixteenWindows() {
            return reportPeriodSeconds == null
                    || (reportPeriodSeconds >= 1 && reportPeriodSeconds <= 16 * windowSeconds);
        }

        @AssertTrue(message = "whole minutes (a multiple of 60 seconds)")
        public boolean isWindowWholeMinutes() {
            return windowSeconds % 60 == 0;
        }

        @AssertTrue(message = "the quorum must be at most the number of monitors")
        public boolean isQuorumReachable() {
            return monitors == null || quorum <= monitors.size();
        }

        @AssertTrue(message = "the quorum must be a majority of the monitors (release 2 refuses less)")
        public boolean isQuorumAMajority() {
            return monitors == null || 2 * quorum > monitors.size();
        }

        @AssertTrue(message = "each monitor once")
        public boolean isEveryMonitorDistinct() {
            return monitors == null
                    || monitors.stream()
                                    .filter(java.util.Objects::nonNull)
                                    .map(m -> m.toLowerCase(java.util.Locale.ROOT))
                                    .distinct()
                                    .count()
                            == monitors.size();
        }

        @AssertTrue(message = "each tier threshold once")
        public boolean isEveryTierDistinct() {
            return tiers == null
                    || tiers.stream()
                                    .filter(java.util.Objects::nonNull)
                                    .map(TierCommand::belowBps)
                                    .distinct()
                                    .count()
                            == tiers.size();
        }

        @AssertTrue(message = "at most 2^256 - 1 base units")
        public boolean isCollateralUint256() {
            return fitsUint256(collateralWei);
        }
    }

    /**
     * A window whose median availability is below {@code belowBps} pays {@code penaltyWei} (base units), or {@code
     * penalty} in whole units of the listing's token.
     */
    public record TierCommand(
            @Min(value = 1, message = "1 to 10000 basis points")
            @Max(value = 10_000, message = "1 to 10000 basis points")
            int belowBps,

            @Pattern(regexp = BASE_UNITS, message = BASE_UNITS_MESSAGE)
            String penaltyWei,

            @Size(max = 100) String penalty) {

        public TierCommand(int belowBps, String penaltyWei) {
            this(belowBps, penaltyWei, null);
        }

        @AssertTrue(message = "give the penalty as 'penalty' (whole units) or 'penaltyWei' (base units)")
        public boolean isPenaltyGiven() {
            return penaltyWei != null || penalty != null;
        }

        @AssertTrue(message = "at most 2^256 - 1 base units")
        public boolean isPenaltyUint256() {
            return fitsUint256(penaltyWei);
        }
    }
}
