package io.tollgate.marketplace.catalogue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A listing as a provider writes it. Prices are decimal strings of wei (uint256), never JSON numbers.
 *
 * @param routes method, path pattern (served at {@code /<slug><path>} by gateways) and category
 */
public record ListingCommand(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}", message = "2-63 lower-case letters, digits, dashes")
        String slug,

        @NotBlank @Size(max = 200) String name,
        @Size(max = 2000) String description,

        @NotBlank @Pattern(regexp = "https?://[^\\s]{1,2000}", message = "an http(s) URL")
        String upstreamUrl,

        @Pattern(regexp = "https?://[^\\s]{1,2000}", message = "an http(s) URL")
        String docsUrl,

        @NotNull @Size(min = 1, max = 16, message = "1 to 16 categories")
        List<@Valid CategoryCommand> categories,

        @NotNull @Size(min = 1, max = 64, message = "1 to 64 routes")
        List<@Valid RouteCommand> routes) {

    public record CategoryCommand(
            @NotBlank @Size(max = 64) String name,

            @NotNull
            @Pattern(regexp = "0|[1-9][0-9]{0,77}", message = "a decimal amount of wei without sign, point or exponent")
            String priceWei) {

        @AssertTrue(message = "at most 2^256 - 1 wei")
        public boolean isPriceUint256() {
            return priceWei == null
                    || !priceWei.matches("[0-9]+")
                    || new java.math.BigInteger(priceWei).bitLength() <= 256;
        }
    }

    public record RouteCommand(
            @NotNull @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE|\\*", message = "GET, POST, PUT, PATCH, DELETE or *")
            String method,

            @NotBlank @Pattern(regexp = "/[A-Za-z0-9/_*{}.-]{0,200}", message = "a path pattern starting with /")
            String path,

            int category) {}

    @AssertTrue(message = "every route's category must be one of the listing's categories")
    public boolean isEveryRouteCategoryKnown() {
        return categories == null
                || routes == null
                || routes.stream().allMatch(r -> r.category() >= 0 && r.category() < categories.size());
    }
}
