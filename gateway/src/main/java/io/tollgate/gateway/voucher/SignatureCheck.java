package io.tollgate.gateway.voucher;

import io.tollgate.protocol.Voucher;

/** Whether a voucher's signature is the channel signer's, over the channel's EIP-712 domain. */
public interface SignatureCheck {

    SignatureOutcome check(Voucher voucher, long chainId, String expectedSigner);

    enum SignatureOutcome {
        /** Recovers to the expected signer. */
        VALID,
        /** A well-formed signature by someone else, or over another domain (chain id, contract) or message. */
        WRONG_SIGNER,
        /** Not a valid signature at all: v not 27/28, s in the upper half (malleable), or no recovery. */
        INVALID
    }
}
