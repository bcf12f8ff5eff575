package io.tollgate.contracts.channel;

import io.tollgate.pricing.PriceTable;
import java.time.Duration;
import java.util.Optional;

/**
 * What a channel is created with.
 *
 * @param owner the consumer's cold key: funds, closes, rotates the signer
 * @param signer the consumer's hot key: signs vouchers
 * @param payout the provider's cold key: receives earnings
 * @param operator the provider's gateway key: redeems
 * @param token the ERC-20 the channel holds, empty for ether
 * @param tolerance T_r, how long vouchers of an expiring epoch stay valid
 * @param closeDelay T_c, how long after a close request the owner may close (more than 2 T_r)
 */
public record ChannelTerms(
        String owner,
        String signer,
        String payout,
        String operator,
        Optional<String> token,
        PriceTable prices,
        Duration tolerance,
        Duration closeDelay) {}
