package io.tollgate.gateway.voucher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.client.TollgateClient;
import io.tollgate.contracts.channel.VoucherSignatures;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

/**
 * Signs vouchers in tests with anvil's public, openly insecure test keys (web3j's signer, so the gateway's
 * libsecp256k1 check is held against an independent implementation).
 */
public final class TestVouchers {

    /** anvil account 1 (public test key). */
    public static final Credentials SIGNER =
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    /** anvil account 2 (public test key). */
    public static final Credentials STRANGER =
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private TestVouchers() {}

    public static byte[] sign(
            Credentials key,
            long chainId,
            String domainContract,
            long epoch,
            int category,
            long count,
            byte[] priceTableHash) {
        byte[] digest = VoucherSignatures.voucherDigest(
                VoucherSignatures.domainSeparator(chainId, domainContract), epoch, category, count, priceTableHash);
        var data = Sign.signMessage(digest, key.getEcKeyPair(), false);
        byte[] signature = new byte[65];
        System.arraycopy(data.getR(), 0, signature, 0, 32);
        System.arraycopy(data.getS(), 0, signature, 32, 32);
        signature[64] = data.getV()[0];
        return signature;
    }

    public static String header(
            Credentials key, long chainId, String channel, long epoch, int category, long count, byte[] hash) {
        return VoucherHeaderCodec.encode(
                channel, epoch, category, count, hash, sign(key, chainId, channel, epoch, category, count, hash));
    }

    /**
     * Sends {@code url} a voucher of {@link #SIGNER} for epoch 99 of {@code channel}, which does not exist, and
     * returns the body of the 409 the gateway answers without spending anything (its members tell what the request
     * path sees of the channel).
     */
    public static String epochUnknownBody(
            HttpClient http, String url, long chainId, String channel, int category, byte[] priceTableHash)
            throws IOException, InterruptedException {
        var response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header(
                                TollgateClient.VOUCHER_HEADER,
                                header(SIGNER, chainId, channel, 99, category, 1, priceTableHash))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("epoch-unknown: " + response.body())
                .isEqualTo(409);
        return response.body();
    }

    /** The same signature with s replaced by n − s and v flipped: valid for ecrecover, malleable, refused. */
    public static byte[] highS(byte[] signature) {
        byte[] flipped = Arrays.copyOf(signature, 65);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        byte[] high = N.subtract(s).toByteArray();
        byte[] word = new byte[32];
        System.arraycopy(
                high, Math.max(0, high.length - 32), word, 32 - Math.min(32, high.length), Math.min(32, high.length));
        System.arraycopy(word, 0, flipped, 32, 32);
        flipped[64] = (byte) (signature[64] == 27 ? 28 : 27);
        return flipped;
    }
}
