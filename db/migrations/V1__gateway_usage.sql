-- Usage and SLA observations the gateway writes per minute, listing, channel, epoch and category.
-- Replicas add to the same row with INSERT ... ON CONFLICT DO UPDATE, so rows are sums over all gateways.
CREATE TABLE gateway_usage_minute (
    minute           TIMESTAMPTZ    NOT NULL,
    listing_id       TEXT           NOT NULL,
    channel          CHAR(42)       NOT NULL,
    epoch            BIGINT         NOT NULL CHECK (epoch > 0),
    category         SMALLINT       NOT NULL CHECK (category BETWEEN 0 AND 15),
    requests         BIGINT         NOT NULL CHECK (requests >= 0),
    value_wei        NUMERIC(78, 0) NOT NULL CHECK (value_wei >= 0),
    status_2xx       BIGINT         NOT NULL DEFAULT 0,
    status_3xx       BIGINT         NOT NULL DEFAULT 0,
    status_4xx       BIGINT         NOT NULL DEFAULT 0,
    status_5xx       BIGINT         NOT NULL DEFAULT 0,
    status_other     BIGINT         NOT NULL DEFAULT 0,
    latency_sum_us   BIGINT         NOT NULL DEFAULT 0,
    latency_max_us   BIGINT         NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, minute, listing_id, epoch, category)
);

CREATE INDEX gateway_usage_minute_listing_minute ON gateway_usage_minute (listing_id, minute);
