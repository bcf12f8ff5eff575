package io.tollgate.monitor.submit;

import io.tollgate.contracts.channel.VoucherSignatures;
import io.tollgate.monitor.watch.Watch;
import io.tollgate.protocol.Signatures;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The reports the contract will take: a signature in canonical form (low s, v 27 or 28, as the contract's ECDSA
 * demands) that recovers to the monitor that wrote it, one the channel names. Any other report is left out with a
 * warning naming its monitor (in the {@link Submitter}'s log): sent along, it would make the contract refuse the
 * whole window.
 */
final class ReportCheck {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final long chainId;

    ReportCheck(long chainId) {
        this.chainId = chainId;
    }

    /** The reports of {@code window} the contract will take, in their order; the others are logged. */
    List<Report> valid(Watch watch, long window, List<Report> reports) {
        List<Report> valid = new ArrayList<>();
        for (Report r : reports) {
            byte[] digest = VoucherSignatures.windowReportDigest(chainId, watch.channel(), window, r.availabilityBps());
            Optional<String> problem = problem(digest, r, watch);
            if (problem.isEmpty()) {
                valid.add(r);
            } else {
                log.atWarn()
                        .addKeyValue("channel", watch.channel())
                        .addKeyValue("window", window)
                        .addKeyValue("monitor", r.monitor())
                        .log(
                                "the report of monitor {} for window {} is left out: {}",
                                r.monitor(),
                                window,
                                problem.get());
            }
        }
        return valid;
    }

    /** Why the contract would refuse the report's signature; empty when it would take it. */
    private static Optional<String> problem(byte[] digest, Report report, Watch watch) {
        byte[] signature = report.signature();
        if (signature.length != 65) {
            return Optional.of("its signature has " + signature.length + " bytes, not 65");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        int v = signature[64] & 0xff;
        if (r.signum() == 0 || s.signum() == 0) {
            return Optional.of("its signature has a zero r or s");
        }
        if (!Signatures.isLowS(s)) {
            return Optional.of("its signature has a high s (malleated), which the contract refuses");
        }
        if (v != 27 && v != 28) {
            return Optional.of("its signature has v = " + v + ", not 27 or 28");
        }
        Optional<String> recovered = recover(digest, signature);
        if (recovered.isEmpty()) {
            return Optional.of("its signature recovers to no key");
        }
        String signer = recovered.get();
        if (!signer.equals(report.monitor())) {
            return Optional.of("its signature is by " + signer + ", not by the monitor");
        }
        if (!watch.terms().names(signer)) {
            return Optional.of("the channel does not name this monitor");
        }
        return Optional.empty();
    }

    /** The address that signed {@code digest}; empty when the signature recovers to no key. */
    private static Optional<String> recover(byte[] digest, byte[] signature) {
        var data = new Sign.SignatureData(
                signature[64], Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
        try {
            return Optional.of("0x"
                    + Keys.getAddress(Sign.signedMessageHashToKey(digest, data)).toLowerCase(Locale.ROOT));
        } catch (SignatureException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
