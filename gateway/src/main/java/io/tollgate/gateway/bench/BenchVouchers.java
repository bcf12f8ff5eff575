package io.tollgate.gateway.bench;

import fr.acinq.secp256k1.Secp256k1;
import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.gateway.chain.EpochTerms;
import io.tollgate.gateway.voucher.VoucherHeaderCodec;
import io.tollgate.pricing.Wei;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Writes a file of {@code Payment-Voucher} headers, counts 1..n of one channel in epoch 1, for the benchmark's
 * load generator (one header per line). The signer key comes from {@code BENCH_SIGNER_KEY} (hex); use a public
 * test key only.
 *
 * <p>{@code java -cp tollgate-gateway.jar -Dloader.main=io.tollgate.gateway.bench.BenchVouchers
 * org.springframework.boot.loader.launch.PropertiesLauncher <file> <channel> <chainId> <category> <n> <prices…>}
 */
public final class BenchVouchers {

    private BenchVouchers() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 6) {
            throw new IllegalArgumentException("usage: <file> <channel> <chainId> <category> <n> <prices...>");
        }
        Path file = Path.of(args[0]);
        String channel = args[1].toLowerCase(java.util.Locale.ROOT);
        long chainId = Long.parseLong(args[2]);
        int category = Integer.parseInt(args[3]);
        int n = Integer.parseInt(args[4]);
        List<Wei> prices = Arrays.stream(args, 5, args.length).map(Wei::parse).toList();
        byte[] hash = new EpochTerms(1, prices, Optional.empty()).priceTableHash();
        byte[] key = HexFormat.of().parseHex(System.getenv("BENCH_SIGNER_KEY").replaceFirst("^0x", ""));
        byte[] domain = VoucherSignatures.domainSeparator(chainId, channel);
        var secp = Secp256k1.get();
        byte[] publicKey = secp.pubkeyCreate(key);
        String[] lines = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            long count = i + 1L;
            byte[] digest = VoucherSignatures.voucherDigest(domain, 1, category, count, hash);
            byte[] compact = secp.sign(digest, key); // low-s, 64 bytes
            int recid = Arrays.equals(secp.ecdsaRecover(compact, digest, 0), publicKey) ? 0 : 1;
            byte[] signature = Arrays.copyOf(compact, 65);
            signature[64] = (byte) (27 + recid);
            lines[i] = VoucherHeaderCodec.encode(channel, 1, category, count, hash, signature);
        });
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (String line : lines) {
                out.write(line);
                out.newLine();
            }
        }
    }
}
