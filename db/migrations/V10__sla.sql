-- SLA: the terms a provider attaches to a listing (copied into every channel created for it), the terms each
-- subscription's channel was prepared with, the monitors' probes and signed window reports, and the
-- submitter's record of the windows it reported on chain.

CREATE TABLE listing_sla (
    listing_id     BIGINT         PRIMARY KEY REFERENCES listing (id) ON DELETE CASCADE,
    target_bps     INTEGER        NOT NULL CHECK (target_bps BETWEEN 0 AND 10000),
    -- whole minutes, so that a window covers whole rows of the per-minute tables
    window_seconds BIGINT         NOT NULL CHECK (window_seconds BETWEEN 60 AND 31536000 AND window_seconds % 60 = 0),
    -- lower-case addresses of the monitors whose signed reports count
    monitors       TEXT[]         NOT NULL CHECK (cardinality(monitors) BETWEEN 1 AND 16),
    quorum         INTEGER        NOT NULL CHECK (quorum >= 1),
    -- what the provider promises to deposit into each channel as collateral
    collateral_wei NUMERIC(78, 0) NOT NULL CHECK (collateral_wei >= 0),
    -- the path under the listing's upstream that monitors probe
    probe_path     TEXT           NOT NULL CHECK (probe_path ~ '^/'),
    CHECK (quorum <= cardinality(monitors))
);

CREATE TABLE listing_sla_tier (
    listing_id  BIGINT         NOT NULL REFERENCES listing_sla (listing_id) ON DELETE CASCADE,
    below_bps   INTEGER        NOT NULL CHECK (below_bps BETWEEN 1 AND 10000),
    penalty_wei NUMERIC(78, 0) NOT NULL CHECK (penalty_wei >= 0 AND penalty_wei <= 115792089237316195423570985008687907853269984665640564039457584007913129639935),
    PRIMARY KEY (listing_id, below_bps)
);

-- The SLA terms the channel of a subscription was prepared with (start included), checked against the chain
-- at activation; NULL: the listing had none.
ALTER TABLE subscription ADD COLUMN sla_terms JSONB;

-- Monitors' active probes, summed per minute like the gateway's rows: one row per monitor process (prober),
-- listing (slug, as gateway_usage_minute.listing_id) and minute.
CREATE TABLE sla_probe_minute (
    prober         TEXT        NOT NULL,
    listing_id     TEXT        NOT NULL,
    minute         TIMESTAMPTZ NOT NULL,
    sent           BIGINT      NOT NULL CHECK (sent >= 0),
    ok             BIGINT      NOT NULL CHECK (ok >= 0 AND ok <= sent),
    latency_sum_us BIGINT      NOT NULL DEFAULT 0 CHECK (latency_sum_us >= 0),
    PRIMARY KEY (prober, listing_id, minute)
);

-- One signed report per channel, window and monitor key, never changed once written: a monitor signs one
-- availability per window. observations: what each source saw (good and total per source).
CREATE TABLE sla_report (
    channel          CHAR(42)    NOT NULL CHECK (channel ~ '^0x[0-9a-f]{40}$'),
    window_index     BIGINT      NOT NULL CHECK (window_index >= 0),
    monitor          CHAR(42)    NOT NULL CHECK (monitor ~ '^0x[0-9a-f]{40}$'),
    availability_bps INTEGER     NOT NULL CHECK (availability_bps BETWEEN 0 AND 10000),
    signature        TEXT        NOT NULL CHECK (signature ~ '^0x[0-9a-f]{130}$'),
    window_start     TIMESTAMPTZ NOT NULL,
    window_end       TIMESTAMPTZ NOT NULL CHECK (window_end > window_start),
    observations     JSONB       NOT NULL,
    signed_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, window_index, monitor)
);

CREATE FUNCTION sla_report_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signed window reports are immutable: % of window % of channel % refused',
        TG_OP, OLD.window_index, OLD.channel;
END
$$;
CREATE TRIGGER sla_report_is_immutable BEFORE UPDATE ON sla_report
    FOR EACH ROW EXECUTE FUNCTION sla_report_is_immutable();

-- The submitter's claim on a window: inserted once (the claim), before anything is sent.
-- SENDING: claimed, reportWindow may be on its way; CONFIRMED: the chain has the window reported (by this
-- submitter or anyone else); NO_PENALTY: the reports' median met every tier, nothing was sent; REFUSED: the
-- chain refused it for good (reason: its custom error, e.g. ChannelClosed).
CREATE TABLE sla_submission (
    channel          CHAR(42)       NOT NULL CHECK (channel ~ '^0x[0-9a-f]{40}$'),
    window_index     BIGINT         NOT NULL CHECK (window_index >= 0),
    state            TEXT           NOT NULL CHECK (state IN ('SENDING', 'CONFIRMED', 'NO_PENALTY', 'REFUSED')),
    reports          INTEGER        NOT NULL CHECK (reports >= 0),
    availability_bps INTEGER        NOT NULL CHECK (availability_bps BETWEEN 0 AND 10000),
    -- what the tiers ask for the median; the chain pays at most the collateral left
    penalty_wei      NUMERIC(78, 0) NOT NULL CHECK (penalty_wei >= 0),
    tx_hash          CHAR(66),
    reason           TEXT,
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, window_index)
);

-- Listing versions include the SLA terms from now on (null: none).
CREATE OR REPLACE FUNCTION listing_snapshot(of_listing BIGINT) RETURNS JSONB LANGUAGE sql STABLE AS $$
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
            '[]'::jsonb),
        'sla', (SELECT jsonb_build_object(
                    'targetBps', s.target_bps,
                    'windowSeconds', s.window_seconds,
                    'tiers', coalesce(
                        (SELECT jsonb_agg(jsonb_build_object('belowBps', t.below_bps, 'penaltyWei', t.penalty_wei::text)
                                          ORDER BY t.below_bps DESC)
                           FROM listing_sla_tier t WHERE t.listing_id = s.listing_id),
                        '[]'::jsonb),
                    'monitors', to_jsonb(s.monitors),
                    'quorum', s.quorum,
                    'collateralWei', s.collateral_wei::text,
                    'probePath', s.probe_path)
                  FROM listing_sla s WHERE s.listing_id = l.id))
    FROM listing l
    WHERE l.id = $1
$$;
