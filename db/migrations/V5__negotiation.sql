-- Negotiation: a consumer asks a listing for a quote; the provider (or its automatic rules) offers; the
-- accepted offer's prices are what the consumer's channel must hold.
ALTER TABLE listing ADD COLUMN min_deposit_wei NUMERIC(78, 0) NOT NULL DEFAULT 0 CHECK (min_deposit_wei >= 0);
ALTER TABLE listing ADD COLUMN auto_quote BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE listing_category ADD COLUMN floor_wei NUMERIC(78, 0) CHECK (floor_wei >= 0);

CREATE TABLE listing_volume_tier (
    listing_id       BIGINT         NOT NULL REFERENCES listing (id) ON DELETE CASCADE,
    min_deposit_wei  NUMERIC(78, 0) NOT NULL CHECK (min_deposit_wei >= 0),
    min_requests     BIGINT         NOT NULL CHECK (min_requests >= 0),
    discount_bps     INTEGER        NOT NULL CHECK (discount_bps BETWEEN 0 AND 10000)
);
CREATE INDEX listing_volume_tier_listing ON listing_volume_tier (listing_id);

CREATE TABLE negotiation (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id        BIGINT         NOT NULL REFERENCES listing (id),
    consumer_address  TEXT           NOT NULL CHECK (consumer_address ~ '^0x[0-9a-f]{40}$'),
    state             TEXT           NOT NULL CHECK (state IN ('REQUESTED', 'OFFERED', 'ACCEPTED', 'REJECTED', 'EXPIRED')),
    deposit_wei       NUMERIC(78, 0) NOT NULL CHECK (deposit_wei >= 0),
    expected_requests BIGINT         NOT NULL CHECK (expected_requests >= 0),
    -- the prices on the table: the consumer's proposal while REQUESTED, the provider's offer after
    prices_wei        NUMERIC(78, 0)[] NOT NULL,
    expires_at        TIMESTAMPTZ    NOT NULL,
    updated_at        TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX negotiation_consumer ON negotiation (consumer_address);
CREATE INDEX negotiation_listing ON negotiation (listing_id);
