package io.tollgate.gateway.faults;

import fr.acinq.secp256k1.Secp256k1;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.gateway.RealRedis;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.voucher.TestVouchers;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A channel the fault scenarios' gateways know from configuration ({@code tollgate.chain.static-channels}, as
 * the benchmark does): epoch 1, one price for category 0, a deposit, signed by {@link TestVouchers#SIGNER}.
 * Vouchers are signed with libsecp256k1 (tens of microseconds each), so a scenario can sign thousands.
 */
record StaticChannel(String address, Wei price, Wei deposit, String provider) {

    static final String PROVIDER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
    static final String FACTORY = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    static final String LISTING = "faults";
    static final long CHAIN_ID = 31337;
    private static final byte[] KEY =
            TestVouchers.SIGNER.getEcKeyPair().getPrivateKey().toByteArray();

    static StaticChannel fresh(Wei price, Wei deposit) {
        return new StaticChannel(RealRedis.randomChannel(), price, deposit, PROVIDER);
    }

    /** The same terms on a fresh channel that pays another provider (not the listing's). */
    StaticChannel payingAnotherProvider() {
        return new StaticChannel(RealRedis.randomChannel(), price, deposit, RealRedis.randomChannel());
    }

    EpochTerms terms() {
        return new EpochTerms(1, List.of(price), Optional.empty());
    }

    /** The gateway arguments that declare this channel. */
    List<String> arguments() {
        String at = "--tollgate.chain.static-channels[" + address + "].";
        return List.of(
                at + "signer=" + TestVouchers.SIGNER.getAddress(),
                at + "provider=" + provider,
                at + "factory=" + FACTORY,
                at + "prices=" + price,
                at + "deposit=" + deposit,
                at + "operator=" + io.tollgate.gateway.chain.TestChain.OPERATOR);
    }

    /** The gateway arguments of the listing {@value #LISTING} whose category 0 is routed at {@code /paid/**}. */
    static List<String> listingArguments(String upstreamUrl) {
        return List.of(
                "--tollgate.gateway.listings." + LISTING + ".provider=" + PROVIDER,
                "--tollgate.gateway.listings." + LISTING + ".factory=" + FACTORY,
                "--tollgate.gateway.listings." + LISTING + ".subscribe-url=http://marketplace.test/listings/faults",
                "--tollgate.gateway.listings." + LISTING + ".prices=1000",
                "--tollgate.gateway.listings." + LISTING + ".operator=" + io.tollgate.gateway.chain.TestChain.OPERATOR,
                "--spring.cloud.gateway.server.webflux.routes[0].id=paid",
                "--spring.cloud.gateway.server.webflux.routes[0].uri=" + upstreamUrl,
                "--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/paid/**",
                "--spring.cloud.gateway.server.webflux.routes[0].filters[0]=Payment=" + LISTING + ", 0",
                "--spring.cloud.gateway.server.webflux.routes[0].filters[1]=StripPrefix=1",
                "--spring.cloud.gateway.server.webflux.routes[1].id=unpaid",
                "--spring.cloud.gateway.server.webflux.routes[1].uri=" + upstreamUrl,
                "--spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/unpaid/**",
                "--spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1");
    }

    /** The {@code Payment-Voucher} header for {@code count} in epoch 1, category 0. */
    String voucher(long count) {
        return voucher(1, 0, count, terms().priceTableHash());
    }

    /** A voucher of any epoch, category and price-table hash, signed by the channel's signer. */
    String voucher(long epoch, int category, long count, byte[] hash) {
        byte[] digest = VoucherSignatures.voucherDigest(
                VoucherSignatures.domainSeparator(CHAIN_ID, address), epoch, category, count, hash);
        var secp = Secp256k1.get();
        byte[] key = key();
        byte[] compact = secp.sign(digest, key); // low-s
        int recid = Arrays.equals(secp.ecdsaRecover(compact, digest, 0), secp.pubkeyCreate(key)) ? 0 : 1;
        byte[] signature = Arrays.copyOf(compact, 65);
        signature[64] = (byte) (27 + recid);
        return VoucherHeaderCodec.encode(address, epoch, category, count, hash, signature);
    }

    private static byte[] key() {
        // BigInteger.toByteArray may carry a sign byte or be shorter than 32 bytes
        byte[] word = new byte[32];
        int length = Math.min(32, KEY.length);
        System.arraycopy(KEY, KEY.length - length, word, 32 - length, length);
        return word;
    }
}
