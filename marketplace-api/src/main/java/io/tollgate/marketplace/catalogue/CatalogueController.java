package io.tollgate.marketplace.catalogue;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public catalogue: listings with their prices, searchable. */
@RestController
@RequestMapping("/api/listings")
class CatalogueController {
    private final ListingRepository listings;

    CatalogueController(ListingRepository listings) {
        this.listings = listings;
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<ListingView> search(@RequestParam(required = false) @Size(max = 100) String q) {
        String needle = q == null ? "" : q.strip();
        return listings.search(needle).stream().map(ListingView::of).toList();
    }

    @GetMapping("/{slug}")
    @Transactional(readOnly = true)
    ListingView one(@PathVariable String slug) {
        return listings.findBySlug(slug)
                .map(ListingView::of)
                .orElseThrow(() -> new ApiProblem(
                        ProblemType.NOT_FOUND,
                        "no listing '" + slug + "': GET /api/listings lists them",
                        Map.of("listing", slug)));
    }
}
