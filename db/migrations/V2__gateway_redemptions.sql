-- Two-phase redemptions the gateway started, so a restarted gateway finishes what it began.
-- phase: START_PENDING (intent written, startRedemption not yet confirmed), STARTED (epoch expiring on chain,
-- finish allowed from finish_after), FINISHED (finishRedemption confirmed).
CREATE TABLE gateway_redemption (
    channel        CHAR(42)       NOT NULL,
    epoch          BIGINT         NOT NULL CHECK (epoch > 0),
    phase          TEXT           NOT NULL CHECK (phase IN ('START_PENDING', 'STARTED', 'FINISHED')),
    reason         TEXT           NOT NULL,
    requested_at   TIMESTAMPTZ    NOT NULL,
    finish_after   TIMESTAMPTZ,
    start_tx       CHAR(66),
    finish_tx      CHAR(66),
    claimed_wei    NUMERIC(78, 0) CHECK (claimed_wei >= 0),
    updated_at     TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (channel, epoch)
);

CREATE INDEX gateway_redemption_open ON gateway_redemption (phase) WHERE phase <> 'FINISHED';
