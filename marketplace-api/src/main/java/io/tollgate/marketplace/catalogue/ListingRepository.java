package io.tollgate.marketplace.catalogue;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ListingRepository extends JpaRepository<Listing, Long> {
    @EntityGraph(attributePaths = {"provider"})
    Optional<Listing> findBySlug(String slug);

    @EntityGraph(attributePaths = {"provider"})
    @Query("""
            select l from Listing l join l.provider p
            where lower(l.name) like lower(concat('%', :q, '%'))
               or lower(coalesce(l.description, '')) like lower(concat('%', :q, '%'))
               or lower(p.name) like lower(concat('%', :q, '%'))
            order by l.name
            """)
    /** Listings whose name, description or provider contains {@code q} (case-insensitive); all for "". */
    List<Listing> search(String q);
}
