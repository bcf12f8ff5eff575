-- One-step claims the gateway sent for channels of Intermediary release 2 (an epoch may be claimed many times,
-- each claim paying the counts above what was claimed before). The chain's redeemedCounts(epoch) is what was
-- claimed; this journal keeps the gateway's intents and what each claim paid, and when it last claimed.
-- phase: PENDING (intent written, receipt not yet seen), CLAIMED (receipt seen: tx and claimed_wei from its
-- Claimed event), ON_CHAIN (the chain shows the counts claimed though this gateway never saw the receipt).
CREATE TABLE gateway_claim (
    id             BIGSERIAL      PRIMARY KEY,
    channel        CHAR(42)       NOT NULL,
    epoch          BIGINT         NOT NULL CHECK (epoch > 0),
    counts         BIGINT[]       NOT NULL,
    phase          TEXT           NOT NULL CHECK (phase IN ('PENDING', 'CLAIMED', 'ON_CHAIN')),
    reason         TEXT           NOT NULL,
    requested_at   TIMESTAMPTZ    NOT NULL,
    tx             CHAR(66),
    claimed_wei    NUMERIC(78, 0) CHECK (claimed_wei >= 0),
    updated_at     TIMESTAMPTZ    NOT NULL
);

-- at most one claim of an epoch in flight
CREATE UNIQUE INDEX gateway_claim_pending ON gateway_claim (channel, epoch) WHERE phase = 'PENDING';
CREATE INDEX gateway_claim_channel ON gateway_claim (channel, requested_at);
