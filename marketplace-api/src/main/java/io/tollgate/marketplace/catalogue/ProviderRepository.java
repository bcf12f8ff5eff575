package io.tollgate.marketplace.catalogue;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ProviderRepository extends JpaRepository<Provider, Long> {
    Optional<Provider> findBySlug(String slug);

    boolean existsByPayoutAddress(String payoutAddress);

    Optional<Provider> findByPayoutAddress(String payoutAddress);
}
