-- The catalogue: providers and their listings, each with a price per category and the routes
-- (method + path pattern) that map requests to categories. Money is NUMERIC(78,0) wei (uint256).
CREATE TABLE provider (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           TEXT        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name           TEXT        NOT NULL,
    payout_address TEXT        NOT NULL CHECK (payout_address ~ '^0x[0-9a-f]{40}$'),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE listing (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         TEXT        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    provider_id  BIGINT      NOT NULL REFERENCES provider (id),
    name         TEXT        NOT NULL,
    description  TEXT,
    upstream_url TEXT        NOT NULL,
    docs_url     TEXT,
    -- NULL: the channel is funded in ether; else the ERC-20 fixed at channel creation
    token_address TEXT       CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX listing_provider ON listing (provider_id);

CREATE TABLE listing_category (
    listing_id BIGINT        NOT NULL REFERENCES listing (id) ON DELETE CASCADE,
    category   INTEGER       NOT NULL CHECK (category BETWEEN 0 AND 15),
    name       TEXT          NOT NULL,
    price_wei  NUMERIC(78, 0) NOT NULL CHECK (price_wei >= 0 AND price_wei <= 115792089237316195423570985008687907853269984665640564039457584007913129639935),
    PRIMARY KEY (listing_id, category)
);

CREATE TABLE listing_route (
    listing_id   BIGINT   NOT NULL REFERENCES listing (id) ON DELETE CASCADE,
    position     INTEGER  NOT NULL,
    method       TEXT     NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', '*')),
    path_pattern TEXT     NOT NULL,
    category     INTEGER  NOT NULL CHECK (category BETWEEN 0 AND 15),
    PRIMARY KEY (listing_id, position),
    FOREIGN KEY (listing_id, category) REFERENCES listing_category (listing_id, category)
);
