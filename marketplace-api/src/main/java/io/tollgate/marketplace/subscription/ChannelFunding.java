package io.tollgate.marketplace.subscription;

import io.tollgate.contracts.channel.FactoryClient;
import io.tollgate.contracts.channel.TokenPermits;
import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.TokenUnit;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Adding money to a live channel from the wallet: the consumer's deposit (a top-up) or the provider's SLA
 * collateral, in the channel's money. Ether: one transaction, the channel's {@code deposit} or {@code
 * depositCollateral} with the amount as value. A token with EIP-2612 permits: one permit to the factory to sign,
 * then one transaction ({@code depositWithPermit} / {@code depositCollateralWithPermit}); a token without: {@code
 * approve} the factory, then the same entry point without a permit. Only the channel's consumer tops it up and only
 * its listing's provider (payout address) adds collateral; anyone else is told there is no such channel of theirs.
 */
@Service
public class ChannelFunding {
    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private final JdbcTemplate jdbc;
    private final FactoryPermits permits;

    ChannelFunding(JdbcTemplate jdbc, FactoryPermits permits) {
        this.jdbc = jdbc;
        this.permits = permits;
    }

    /** What the money goes to. */
    public enum Purpose {
        DEPOSIT("deposit", "deposit"),
        COLLATERAL("collateral", "depositCollateral");

        private final String slug;
        private final String channelFunction;

        Purpose(String slug, String channelFunction) {
            this.slug = slug;
            this.channelFunction = channelFunction;
        }

        public String slug() {
            return slug;
        }

        /** The purpose named {@code slug} in a funding path ("deposit" or "collateral"). */
        public static Purpose of(String slug) {
            for (Purpose purpose : values()) {
                if (purpose.slug.equals(slug)) {
                    return purpose;
                }
            }
            throw new ApiProblem(
                    ProblemType.NOT_FOUND,
                    "a channel is funded in its deposit or its collateral, not " + slug,
                    Map.of());
        }
    }

    /** A funding's steps for the wallet, in order (see {@link FundingStep}); amount in the token's smallest unit. */
    public record Funding(
            String channel, String purpose, Subscriptions.Token token, String amount, List<FundingStep> steps) {}

    private record Channel(String address, String token, TokenUnit unit) {}

    /** What the channel is funded in, before the amount is chosen (no steps yet). */
    @Transactional(readOnly = true)
    public Funding token(String channel, String caller, Purpose purpose) {
        Channel found = channel(channel, caller, purpose);
        return new Funding(
                found.address(), purpose.slug(), Subscriptions.Token.of(found.token(), found.unit()), "0", List.of());
    }

    @Transactional(readOnly = true)
    public Funding prepare(String channel, String caller, Purpose purpose, BigInteger amount) {
        Channel found = channel(channel, caller, purpose);
        var token = Subscriptions.Token.of(found.token(), found.unit());
        if (token.ether()) {
            String data = FunctionEncoder.encode(
                    new Function(purpose.channelFunction, List.of(new Uint256(amount)), List.of()));
            return new Funding(
                    found.address(),
                    purpose.slug(),
                    token,
                    amount.toString(),
                    List.of(FundingStep.transaction(purpose.slug(), found.address(), data, amount.toString())));
        }
        String factory = factory();
        String owner = caller.toLowerCase(Locale.ROOT);
        List<FundingStep> steps = permits.domain(token.address(), owner)
                .map(domain -> List.of(FundingStep.signPermit(
                        purpose.slug(),
                        permits.typedData(domain, owner, factory, amount),
                        "/api/channels/" + found.address() + "/" + purpose.slug() + "/permit")))
                .orElseGet(() -> List.of(
                        FundingStep.transaction(
                                "approve", token.address(), TokenPermits.approveData(factory, amount), "0"),
                        FundingStep.transaction(
                                purpose.slug(),
                                factory,
                                data(
                                        purpose,
                                        found.address(),
                                        TokenPermits.allowanceOnly(token.address(), owner, factory, amount)),
                                "0")));
        return new Funding(found.address(), purpose.slug(), token, amount.toString(), steps);
    }

    /** The signed permit for {@code amount}: checked, and answered with the one transaction that spends it. */
    @Transactional(readOnly = true)
    public FundingStep permit(
            String channel, String caller, Purpose purpose, BigInteger amount, FactoryPermits.Signed signed) {
        Channel found = channel(channel, caller, purpose);
        if (ZERO.equals(found.token())) {
            throw new ApiProblem(
                    ProblemType.CONFLICT,
                    "channel " + found.address() + " is in ether: it is funded with the transaction's value, no permit",
                    Map.of("channel", found.address()));
        }
        String factory = factory();
        var permit =
                permits.verify(found.token(), caller.toLowerCase(Locale.ROOT), factory, amount, found.unit(), signed);
        return FundingStep.transaction(purpose.slug(), factory, data(purpose, found.address(), permit), "0");
    }

    private static String data(Purpose purpose, String channel, TokenPermits.Permit permit) {
        return purpose == Purpose.DEPOSIT
                ? FactoryClient.depositWithPermitData(channel, permit)
                : FactoryClient.depositCollateralWithPermitData(channel, permit);
    }

    private Channel channel(String channel, String caller, Purpose purpose) {
        String address = channel.toLowerCase(Locale.ROOT);
        String party = purpose == Purpose.DEPOSIT ? "s.consumer_address" : "p.payout_address";
        return jdbc
                .query(
                        """
                        select s.channel_address, s.token_address, l.token_symbol, l.token_decimals
                        from subscription s join negotiation n on n.id = s.negotiation_id
                             join listing l on l.id = n.listing_id join provider p on p.id = l.provider_id
                        where s.channel_address = ? and s.state = 'ACTIVE' and lower(%s) = ?""".formatted(party),
                        (rs, n) -> {
                            String token = lower(rs.getString(2));
                            Integer decimals = rs.getObject(4, Integer.class);
                            TokenUnit unit = token == null || ZERO.equals(token) || decimals == null
                                    ? TokenUnit.ETHER
                                    : new TokenUnit(rs.getString(3), decimals);
                            return new Channel(rs.getString(1), token == null ? ZERO : token, unit);
                        },
                        address,
                        caller.toLowerCase(Locale.ROOT))
                .stream()
                .findFirst()
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND,
                        "no active channel " + address + " of yours"
                                + (purpose == Purpose.DEPOSIT
                                        ? " (only its consumer tops it up)"
                                        : " as provider (only its listing's payout address adds collateral)"),
                        Map.of()));
    }

    private static @Nullable String lower(@Nullable String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private String factory() {
        return permits.factory();
    }
}
