package io.tollgate.marketplace.subscription;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One step of funding a channel in the consumer's (or provider's) wallet, in order: {@code kind} "sign-permit" (the
 * wallet signs {@code typedData} with {@code eth_signTypedData_v4} and the page posts the signature to {@code
 * submit}, which answers the transaction to send) or "transaction" (the wallet sends {@code to}, {@code data},
 * {@code value} in wei). {@code purpose} says what the step does: "create-channel", "approve", "deposit",
 * "collateral".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FundingStep(
        String kind,
        String purpose,
        @Nullable String to,
        @Nullable String data,
        @Nullable String value,
        @Nullable Map<String, Object> typedData,
        @Nullable String submit) {
    public static final String SIGN_PERMIT = "sign-permit";
    public static final String TRANSACTION = "transaction";

    public static FundingStep transaction(String purpose, String to, String data, String valueWei) {
        return new FundingStep(TRANSACTION, purpose, to, data, valueWei, null, null);
    }

    public static FundingStep signPermit(String purpose, Map<String, Object> typedData, String submit) {
        return new FundingStep(SIGN_PERMIT, purpose, null, null, null, typedData, submit);
    }
}
