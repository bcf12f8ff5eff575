package io.tollgate.client.demo;

import io.tollgate.client.ChannelTerms;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.TollgateClient;
import io.tollgate.client.TollgateClientException;
import io.tollgate.pricing.PriceTable;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Paid calls through a gateway with the client library, for the demo:
 * {@code DemoCall <url> <category> <count> <channel> <signer key hex> <counters file> <price>...}.
 * Prints one line per call: status, accepted count, remaining credit, body.
 */
public final class DemoCall {
    private DemoCall() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int category = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        String channel = args[3];
        Credentials signer = Credentials.create(args[4]);
        Path counters = Path.of(args[5]);
        PriceTable prices = PriceTable.parse(List.of(args).subList(6, args.length));
        try (var store = new FileVoucherCounters(counters)) {
            var client = TollgateClient.builder()
                    .terms(new ChannelTerms(channel, 31337, 1, prices))
                    .signer(signer.getEcKeyPair())
                    .counters(store)
                    .build();
            for (int i = 0; i < calls; i++) {
                try {
                    var response = client.send(HttpRequest.newBuilder(url).build(), category);
                    System.out.println(response.statusCode() + " accepted-count="
                            + response.headers()
                                    .firstValue(TollgateClient.ACCEPTED_COUNT_HEADER)
                                    .orElse("-")
                            + " remaining-credit-wei="
                            + response.headers()
                                    .firstValue(TollgateClient.REMAINING_CREDIT_HEADER)
                                    .orElse("-")
                            + " " + response.body());
                } catch (TollgateClientException refused) {
                    System.out.println("refused: " + refused.getMessage());
                    System.exit(2);
                }
            }
        }
    }
}
