-- Listing versions: every create or edit of a listing through the API records an immutable snapshot of
-- its content, numbered 1, 2, 3… per listing, with who changed it and when.
-- Catalogue search: the cheapest category price kept on the listing, and indexes for every filter and sort.

-- The number of the listing's latest version; 0 = no version recorded (a listing written outside the API).
ALTER TABLE listing ADD COLUMN version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0);

CREATE TABLE listing_version (
    listing_id BIGINT      NOT NULL REFERENCES listing (id),
    version    INTEGER     NOT NULL CHECK (version >= 1),
    -- what listing_snapshot() returned right after the change
    content    JSONB       NOT NULL,
    -- the signed-in address that made the change; NULL: the marketplace itself (demo data, this migration)
    changed_by TEXT        CHECK (changed_by ~ '^0x[0-9a-f]{40}$'),
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (listing_id, version)
);

CREATE FUNCTION listing_version_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'listing versions are immutable: % of version % of listing % refused',
        TG_OP, OLD.version, OLD.listing_id;
END
$$;
CREATE TRIGGER listing_version_is_immutable BEFORE UPDATE OR DELETE ON listing_version
    FOR EACH ROW EXECUTE FUNCTION listing_version_is_immutable();

-- The full content of a listing as one JSON document: text, upstream, docs, token ("ether" or the ERC-20),
-- categories with names and prices as decimal wei strings (never JSON numbers), routes in order.
CREATE FUNCTION listing_snapshot(of_listing BIGINT) RETURNS JSONB LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'name', l.name,
        'description', l.description,
        'upstreamUrl', l.upstream_url,
        'docsUrl', l.docs_url,
        'token', coalesce(l.token_address, 'ether'),
        'categories', coalesce(
            (SELECT jsonb_agg(jsonb_build_object('category', c.category, 'name', c.name, 'priceWei', c.price_wei::text)
                              ORDER BY c.category)
               FROM listing_category c WHERE c.listing_id = l.id),
            '[]'::jsonb),
        'routes', coalesce(
            (SELECT jsonb_agg(jsonb_build_object('method', r.method, 'path', r.path_pattern, 'category', r.category)
                              ORDER BY r.position)
               FROM listing_route r WHERE r.listing_id = l.id),
            '[]'::jsonb))
    FROM listing l
    WHERE l.id = $1
$$;

-- Listings that exist already get their content as version 1, written by the marketplace itself.
INSERT INTO listing_version (listing_id, version, content, changed_by)
SELECT id, 1, listing_snapshot(id), NULL FROM listing;
UPDATE listing SET version = 1;

-- The cheapest category price of each listing, for "at least one category priced <= x" and the price sort.
-- Kept by a trigger on listing_category so that every writer (JPA, JDBC, SQL seeds) keeps it right.
-- NULL only while a listing has no category (between inserting the listing and its categories).
ALTER TABLE listing ADD COLUMN min_price_wei NUMERIC(78, 0) CHECK (min_price_wei >= 0);

CREATE FUNCTION listing_keep_min_price() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE listing SET min_price_wei = (SELECT min(price_wei) FROM listing_category WHERE listing_id = OLD.listing_id)
         WHERE id = OLD.listing_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE listing SET min_price_wei = (SELECT min(price_wei) FROM listing_category WHERE listing_id = NEW.listing_id)
         WHERE id = NEW.listing_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER listing_keep_min_price AFTER INSERT OR UPDATE OF price_wei, listing_id OR DELETE ON listing_category
    FOR EACH ROW EXECUTE FUNCTION listing_keep_min_price();

UPDATE listing l SET min_price_wei = (SELECT min(price_wei) FROM listing_category c WHERE c.listing_id = l.id);

-- Search: each filter and sort has an index; the page's categories come by primary key (listing_id, …).
CREATE INDEX listing_name ON listing (name, id);
CREATE INDEX listing_newest ON listing (created_at DESC, id DESC);
CREATE INDEX listing_min_price ON listing (min_price_wei, name, id);
CREATE INDEX listing_token ON listing (token_address);
-- provider slug is UNIQUE (indexed); listing (provider_id) is indexed since V3

-- Free text (name, description, provider name) and category names are case-insensitive substrings
-- (ILIKE '%…%'): trigram indexes serve them where pg_trgm can be installed; without it the same queries
-- scan, correctly but slower. fastupdate off: listings are written rarely and read often, so each write
-- updates the index at once rather than leaving a pending list that every search scans until a vacuum.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'pg_trgm could not be installed (%): catalogue text search runs without trigram indexes',
                SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX listing_name_trgm ON listing USING gin (name gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX listing_description_trgm ON listing USING gin (description gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX provider_name_trgm ON provider USING gin (name gin_trgm_ops) WITH (fastupdate = off);
        CREATE INDEX listing_category_name_trgm ON listing_category USING gin (name gin_trgm_ops) WITH (fastupdate = off);
    END IF;
END
$$;
