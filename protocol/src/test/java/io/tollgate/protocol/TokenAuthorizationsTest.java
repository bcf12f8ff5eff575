package io.tollgate.protocol;

import static io.tollgate.protocol.Eip712Reference.concat;
import static io.tollgate.protocol.Eip712Reference.hex;
import static io.tollgate.protocol.Eip712Reference.separator;
import static io.tollgate.protocol.Eip712Reference.typed;
import static io.tollgate.protocol.Eip712Reference.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.protocol.TokenAuthorizations.Authorization;
import io.tollgate.protocol.TokenAuthorizations.Domain;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The token messages held to the typehashes EIP-2612, EIP-3009 and USDC publish (literals) and to an independent
 * encoding with web3j's keccak and padding; the contracts module's on-chain tests hold them to DemoUsd itself.
 */
class TokenAuthorizationsTest {
    static final Address TOKEN = Address.of("0x5fbdb2315678afecb367f032d93f642f64180aa3");

    @Test
    void theTypehashesAreThePublishedOnes() {
        assertThat(hex(TokenAuthorizations.permitTypehash()))
                .isEqualTo("0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");
        assertThat(hex(TokenAuthorizations.transferWithAuthorizationTypehash()))
                .isEqualTo("0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267");
        assertThat(hex(TokenAuthorizations.receiveWithAuthorizationTypehash()))
                .isEqualTo("0xd099cc98ef71107a616c4f0f941f04c322d8e254fe26b3c6668db87aae413de8");
        assertThat(hex(TokenAuthorizations.cancelAuthorizationTypehash()))
                .isEqualTo("0x158b0a9edf7a828aad02f63cd515c68ef2f50ba807396f6d12842833a1597429");
    }

    @Test
    void theDemoDollarsDomainIsItsNameAndVersionOne() {
        Domain domain = Domain.demoUsd(31337, TOKEN);
        assertThat(domain.name()).isEqualTo("Tollgate Demo USD");
        assertThat(domain.version()).isEqualTo("1");
        assertThat(domain.separator()).isEqualTo(separator("Tollgate Demo USD", "1", 31337, TOKEN));
        assertThat(new Domain("Tollgate Demo USD", "2", 31337, TOKEN).separator())
                .isNotEqualTo(domain.separator());
    }

    @Property(tries = 200)
    void permitDigestsAreTheIndependentEncoding(
            @ForAll @Size(20) byte[] owner,
            @ForAll @Size(20) byte[] spender,
            @ForAll @LongRange(min = 0) long value,
            @ForAll @LongRange(min = 0) long nonce,
            @ForAll @LongRange(min = 0) long deadline,
            @ForAll @LongRange(min = 1) long chainId) {
        Domain domain = Domain.demoUsd(chainId, TOKEN);
        var v = BigInteger.valueOf(value);
        var n = BigInteger.valueOf(nonce);
        var d = BigInteger.valueOf(deadline);
        assertThat(TokenAuthorizations.permitDigest(domain, Address.of(owner), Address.of(spender), v, n, d))
                .isEqualTo(typed(
                        separator(domain.name(), domain.version(), chainId, TOKEN),
                        concat(
                                Hash.sha3(("Permit(address owner,address spender,uint256 value,uint256 nonce,"
                                                + "uint256 deadline)")
                                        .getBytes()),
                                word(Numeric.toBigInt(owner)),
                                word(Numeric.toBigInt(spender)),
                                word(v),
                                word(n),
                                word(d))));
    }

    @Property(tries = 200)
    void authorizationDigestsAreTheIndependentEncoding(
            @ForAll @Size(20) byte[] from,
            @ForAll @Size(20) byte[] to,
            @ForAll @LongRange(min = 0) long value,
            @ForAll @LongRange(min = 0) long validAfter,
            @ForAll @LongRange(min = 0) long validBefore,
            @ForAll @Size(32) byte[] nonce) {
        Domain domain = Domain.demoUsd(8453, TOKEN);
        var a = new Authorization(
                Address.of(from),
                Address.of(to),
                BigInteger.valueOf(value),
                BigInteger.valueOf(validAfter),
                BigInteger.valueOf(validBefore),
                nonce);
        byte[] fields = concat(
                word(Numeric.toBigInt(from)),
                word(Numeric.toBigInt(to)),
                word(a.value()),
                word(a.validAfter()),
                word(a.validBefore()),
                nonce);
        byte[] separator = separator(domain.name(), domain.version(), 8453, TOKEN);
        assertThat(TokenAuthorizations.transferWithAuthorizationDigest(domain, a))
                .isEqualTo(typed(
                        separator,
                        concat(
                                Hash.sha3(("TransferWithAuthorization(address from,address to,uint256 value,"
                                                + "uint256 validAfter,uint256 validBefore,bytes32 nonce)")
                                        .getBytes()),
                                fields)));
        assertThat(TokenAuthorizations.receiveWithAuthorizationDigest(domain, a))
                .isEqualTo(typed(
                        separator,
                        concat(
                                Hash.sha3(("ReceiveWithAuthorization(address from,address to,uint256 value,"
                                                + "uint256 validAfter,uint256 validBefore,bytes32 nonce)")
                                        .getBytes()),
                                fields)));
        assertThat(TokenAuthorizations.cancelAuthorizationDigest(domain, Address.of(from), nonce))
                .isEqualTo(typed(
                        separator,
                        concat(
                                Hash.sha3("CancelAuthorization(address authorizer,bytes32 nonce)".getBytes()),
                                word(Numeric.toBigInt(from)),
                                nonce)));
    }

    @Test
    void anAuthorizationsNonceIsThirtyTwoBytes() {
        assertThatThrownBy(() ->
                        new Authorization(TOKEN, TOKEN, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
