package io.tollgate.marketplace.catalogue;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Objects;

/** A provider: sells APIs and is paid to its payout address (a cold key). */
@Entity
@Table(name = "provider")
public class Provider {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String slug;

    @Column(nullable = false)
    private String name;

    @Column(name = "payout_address", nullable = false)
    private String payoutAddress;

    /** The key the provider's gateways redeem with; none: the payout address itself. */
    @Column(name = "operator_address")
    private String operatorAddress;

    protected Provider() {}

    public Provider(String slug, String name, String payoutAddress) {
        this.slug = slug;
        this.name = name;
        this.payoutAddress = payoutAddress;
    }

    public Long id() {
        return id;
    }

    public String slug() {
        return slug;
    }

    public String name() {
        return name;
    }

    public String payoutAddress() {
        return payoutAddress;
    }

    /** The operator channels to this provider must name: its operator key's address, else its payout address. */
    public String operatorAddress() {
        return operatorAddress == null ? payoutAddress : operatorAddress;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Provider that && id != null && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Provider.class.hashCode();
    }
}
