-- Catalogue search: the cheapest category price kept on the listing, and indexes for every filter and sort.

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
-- scan, correctly but slower.
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
        CREATE INDEX listing_name_trgm ON listing USING gin (name gin_trgm_ops);
        CREATE INDEX listing_description_trgm ON listing USING gin (description gin_trgm_ops);
        CREATE INDEX provider_name_trgm ON provider USING gin (name gin_trgm_ops);
        CREATE INDEX listing_category_name_trgm ON listing_category USING gin (name gin_trgm_ops);
    END IF;
END
$$;
