package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import io.tollgate.pricing.Wei;
import io.tollgate.protocol.Address;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A catalogue search as the query string gives it, checked on construction: a bad parameter is a 400
 * problem naming each wrong parameter and what it allows ({@code errors}).
 *
 * @param text a case-insensitive substring of the name, description or provider name; "" for any
 * @param provider the provider's slug
 * @param category a case-insensitive substring of a category name
 * @param maxPrice listings with at least one category priced at most this
 * @param page 0-based page number
 * @param size listings per page
 */
record ListingSearch(
        String text,
        Optional<String> provider,
        Optional<String> category,
        Optional<Wei> maxPrice,
        Optional<TokenFilter> token,
        Sort sort,
        int page,
        int size) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final int MAX_TEXT = 100;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,78}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,12}");
    private static final BigInteger MAX_UINT256 = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    /** The order of the results; ties are broken by name, then by id, so that pages do not overlap. */
    enum Sort {
        /** By name, A to Z (the default). */
        NAME,
        /** The most recently created first. */
        NEWEST,
        /** The cheapest category first. */
        PRICE
    }

    /** Which token funds the listing's channels. */
    sealed interface TokenFilter {
        /** Funded in ether. */
        record Ether() implements TokenFilter {}

        /** Funded in this ERC-20 (lower-case 0x address). */
        record Erc20(String address) implements TokenFilter {}
    }

    /** Parses the query string; any wrong parameter makes one 400 problem listing all of them. */
    static ListingSearch parse(
            String q,
            String provider,
            String category,
            String maxPriceWei,
            String token,
            String sort,
            String page,
            String size) {
        var errors = new LinkedHashMap<String, String>();
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_TEXT) {
            errors.put("q", "at most " + MAX_TEXT + " characters");
        }
        Optional<String> providerSlug = blankToEmpty(provider);
        Optional<String> categoryName = blankToEmpty(category);
        if (categoryName.isPresent() && categoryName.get().length() > 64) {
            errors.put("category", "at most 64 characters (a category name or part of one)");
        }
        Optional<Wei> maxPrice = Optional.empty();
        if (maxPriceWei != null) {
            if (!DECIMAL.matcher(maxPriceWei).matches() || new BigInteger(maxPriceWei).compareTo(MAX_UINT256) > 0) {
                errors.put(
                        "maxPriceWei",
                        "a decimal amount of wei: digits only (no sign, point or exponent), at most 78 digits "
                                + "and at most 2^256-1; got '" + shorten(maxPriceWei) + "'");
            } else {
                maxPrice = Optional.of(Wei.parse(maxPriceWei));
            }
        }
        Optional<TokenFilter> tokenFilter = Optional.empty();
        if (token != null) {
            String t = token.strip();
            if (t.equalsIgnoreCase("eth") || t.equalsIgnoreCase("ether")) {
                tokenFilter = Optional.of(new TokenFilter.Ether());
            } else if (Address.isAddress(t)) {
                tokenFilter = Optional.of(new TokenFilter.Erc20(t.toLowerCase(Locale.ROOT)));
            } else {
                errors.put(
                        "token",
                        "'eth' for listings funded in ether, or an ERC-20 address (0x and 40 hex digits); got '"
                                + shorten(token) + "'");
            }
        }
        Sort order = Sort.NAME;
        if (sort != null) {
            var named = Arrays.stream(Sort.values())
                    .filter(s -> s.name().equalsIgnoreCase(sort.strip()))
                    .findFirst();
            if (named.isPresent()) {
                order = named.get();
            } else {
                errors.put("sort", "one of name, newest, price; got '" + shorten(sort) + "'");
            }
        }
        int pageNumber = integer(page, 0, 0, Integer.MAX_VALUE, "page", "an integer >= 0", errors);
        int pageSize = integer(size, DEFAULT_SIZE, 1, MAX_SIZE, "size", "an integer from 1 to " + MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem(
                    ProblemType.INVALID_REQUEST,
                    "fix the query parameters named in 'errors': "
                            + String.join(
                                    "; ",
                                    errors.entrySet().stream()
                                            .map(e -> e.getKey() + " must be " + e.getValue())
                                            .toList()),
                    Map.of("errors", errors));
        }
        return new ListingSearch(text, providerSlug, categoryName, maxPrice, tokenFilter, order, pageNumber, pageSize);
    }

    long offset() {
        return (long) page * size;
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static int integer(
            String value, int fallback, int min, int max, String name, String allowed, Map<String, String> errors) {
        if (value == null) {
            return fallback;
        }
        String digits = value.strip();
        if (INTEGER.matcher(digits).matches()) {
            long parsed = Long.parseLong(digits);
            if (parsed >= min && parsed <= max) {
                return (int) parsed;
            }
        }
        errors.put(name, allowed + "; got '" + shorten(value) + "'");
        return fallback;
    }

    private static String shorten(String value) {
        return value.length() <= 90 ? value : value.substring(0, 87) + "...";
    }
}
