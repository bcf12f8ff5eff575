package io.tollgate.client.demo;

import io.tollgate.client.ChannelTerms;
import io.tollgate.client.FileVoucherCounters;
import io.tollgate.client.TollgateClient;
import io.tollgate.client.TollgateClientException;
import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/**
 * Paid calls through a gateway with the client library, for the demo:
 * {@code DemoCall [--epoch=N] [--unit=SYMBOL:DECIMALS] <url> <category> <count> <channel> <signer key hex>
 * <counters file> <price>...}, prices in the channel's smallest unit (wei, or the token's), epoch 1 and ether
 * unless told. Prints one line per call: status, accepted count, remaining credit, the call's cost in the unit,
 * body.
 */
public final class DemoCall {
    private DemoCall() {}

    public static void main(String[] arguments) throws Exception {
        long epoch = 1;
        TokenUnit unit = TokenUnit.ETHER;
        List<String> args = new ArrayList<>();
        for (String argument : arguments) {
            if (argument.startsWith("--epoch=")) {
                epoch = Long.parseLong(argument.substring("--epoch=".length()));
            } else if (argument.startsWith("--unit=")) {
                String[] symbolAndDecimals =
                        argument.substring("--unit=".length()).split(":", 2);
                unit = new TokenUnit(symbolAndDecimals[0], Integer.parseInt(symbolAndDecimals[1]));
            } else {
                args.add(argument);
            }
        }
        URI url = URI.create(args.get(0));
        int category = Integer.parseInt(args.get(1));
        int calls = Integer.parseInt(args.get(2));
        String channel = args.get(3);
        Credentials signer = Credentials.create(args.get(4));
        Path counters = Path.of(args.get(5));
        PriceTable prices = PriceTable.parse(args.subList(6, args.size()));
        BigInteger cost = prices.prices().get(category).value();
        try (var store = new FileVoucherCounters(counters)) {
            var client = TollgateClient.builder()
                    .terms(new ChannelTerms(channel, 31337, epoch, prices))
                    .signer(signer.getEcKeyPair())
                    .counters(store)
                    .build();
            for (int i = 0; i < calls; i++) {
                try {
                    var response = client.send(HttpRequest.newBuilder(url).build(), category);
                    String remaining = response.headers()
                            .firstValue(TollgateClient.REMAINING_CREDIT_HEADER)
                            .orElse("-");
                    System.out.println(response.statusCode() + " accepted-count="
                            + response.headers()
                                    .firstValue(TollgateClient.ACCEPTED_COUNT_HEADER)
                                    .orElse("-")
                            + (unit.equals(TokenUnit.ETHER)
                                    ? " remaining-credit-wei=" + remaining
                                    : " remaining-credit=" + describe(unit, remaining))
                            + " cost=" + (unit.equals(TokenUnit.ETHER) ? cost + " wei" : unit.describe(cost))
                            + " " + response.body());
                } catch (TollgateClientException refused) {
                    System.out.println("refused: " + refused.getMessage());
                    System.exit(2);
                }
            }
        }
    }

    private static String describe(TokenUnit unit, String baseUnits) {
        return baseUnits.matches("\\d+") ? unit.describe(new BigInteger(baseUnits)) : baseUnits;
    }
}
