package io.tollgate.marketplace.catalogue;

import io.tollgate.pricing.PriceTable;
import io.tollgate.pricing.TokenUnit;
import io.tollgate.pricing.Wei;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderBy;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A priced API: its upstream, the price of each category and the routes that map requests to categories.
 */
@Entity
@Table(name = "listing")
public class Listing {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String slug;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "provider_id")
    private Provider provider;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "upstream_url", nullable = false)
    private String upstreamUrl;

    /** Sent by gateways to the upstream on every forwarded request; shown only to the provider and operators. */
    @Column(name = "upstream_secret", nullable = false)
    private String upstreamSecret;

    @Column(name = "docs_url")
    private String docsUrl;

    @Column(name = "token_address")
    private String tokenAddress;

    @Column(name = "token_symbol")
    private String tokenSymbol;

    @Column(name = "token_decimals")
    private Integer tokenDecimals;

    @ElementCollection
    @CollectionTable(name = "listing_category", joinColumns = @JoinColumn(name = "listing_id"))
    @OrderBy("category")
    private List<Category> categories = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "listing_route", joinColumns = @JoinColumn(name = "listing_id"))
    @OrderColumn(name = "position")
    private List<Route> routes = new ArrayList<>();

    /** One price category of a listing. */
    @Embeddable
    public record Category(
            @Column(name = "category", nullable = false) int category,
            @Column(name = "name", nullable = false) String name,

            @Column(name = "price_wei", nullable = false, precision = 78)
            Wei price) {}

    /** Requests matching method and path pattern are paid in the category. */
    @Embeddable
    public record Route(
            @Column(name = "method", nullable = false) String method,
            @Column(name = "path_pattern", nullable = false) String pathPattern,
            @Column(name = "category", nullable = false) int category) {}

    protected Listing() {}

    public Listing(
            String slug,
            Provider provider,
            String name,
            String description,
            String upstreamUrl,
            String docsUrl,
            List<Category> categories,
            List<Route> routes) {
        this.slug = slug;
        this.provider = provider;
        this.name = name;
        this.description = description;
        this.upstreamUrl = upstreamUrl;
        this.upstreamSecret = UpstreamSecrets.generate();
        this.docsUrl = docsUrl;
        this.categories = new ArrayList<>(categories);
        this.routes = new ArrayList<>(routes);
    }

    public Long id() {
        return id;
    }

    public String slug() {
        return slug;
    }

    public Provider provider() {
        return provider;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public String upstreamUrl() {
        return upstreamUrl;
    }

    public String upstreamSecret() {
        return upstreamSecret;
    }

    public String docsUrl() {
        return docsUrl;
    }

    public String tokenAddress() {
        return tokenAddress;
    }

    /** What the listing's amounts count: {@link TokenUnit#ETHER}, or its token's symbol and decimals. */
    public TokenUnit unit() {
        return tokenAddress == null || tokenSymbol == null
                ? TokenUnit.ETHER
                : new TokenUnit(tokenSymbol, tokenDecimals);
    }

    public List<Category> categories() {
        return List.copyOf(categories);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The list prices as a price table (categories 0..k-1). */
    public PriceTable listPrices() {
        return new PriceTable(categories.stream().map(Category::price).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Listing that && id != null && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Listing.class.hashCode();
    }
}
