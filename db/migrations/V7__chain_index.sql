-- The chain indexer's view of the chain: blocks it indexed, the events and transactions of our contracts in
-- them, and its cursor. Only confirmed blocks (head minus N) are indexed; a re-org deeper than N is undone
-- by deleting everything above the last block whose hash the node still agrees with (ON DELETE CASCADE).
CREATE TABLE chain_block (
    number      BIGINT      PRIMARY KEY CHECK (number >= 0),
    hash        CHAR(66)    NOT NULL UNIQUE,
    parent_hash CHAR(66)    NOT NULL,
    time        TIMESTAMPTZ NOT NULL
);

-- One row per indexer (name 'main'); the last block indexed and its hash, for the re-org check.
CREATE TABLE chain_cursor (
    name         TEXT        PRIMARY KEY,
    block_number BIGINT      NOT NULL,
    block_hash   CHAR(66)    NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Transactions that emitted events of our contracts, with the call decoded from the ABI when it could be.
CREATE TABLE chain_transaction (
    hash         CHAR(66)       PRIMARY KEY,
    block_number BIGINT         NOT NULL REFERENCES chain_block (number) ON DELETE CASCADE,
    tx_index     INTEGER        NOT NULL,
    from_address CHAR(42)       NOT NULL,
    to_address   CHAR(42),
    value_wei    NUMERIC(78, 0) NOT NULL CHECK (value_wei >= 0),
    method       TEXT,
    args         JSONB,
    gas_used     BIGINT
);
CREATE INDEX chain_transaction_block ON chain_transaction (block_number);

-- Decoded events of the factory and of the channels it created. channel: the channel the event is about
-- (the emitter, or the new channel of ChannelCreated); amount_wei: the money the event moved, when it moved any
-- (Deposited.amount, Redeemed.amount, Withdrawn.amount, Closed.refund, WindowReported.penalty, ...).
CREATE TABLE chain_event (
    block_number BIGINT         NOT NULL REFERENCES chain_block (number) ON DELETE CASCADE,
    log_index    INTEGER        NOT NULL,
    tx_hash      CHAR(66)       NOT NULL,
    address      CHAR(42)       NOT NULL,
    channel      CHAR(42),
    name         TEXT           NOT NULL,
    args         JSONB          NOT NULL,
    epoch        BIGINT,
    amount_wei   NUMERIC(78, 0) CHECK (amount_wei >= 0),
    PRIMARY KEY (block_number, log_index)
);
CREATE INDEX chain_event_channel ON chain_event (channel, name);
CREATE INDEX chain_event_name ON chain_event (name);

-- The channels our factory created, with the parties named at creation (from ChannelCreated).
CREATE VIEW chain_channel AS
SELECT channel,
       args ->> 'owner'          AS owner,
       args ->> 'payout'         AS payout,
       args ->> 'implementation' AS implementation,
       args ->> 'token'          AS token,
       block_number              AS created_block,
       (SELECT CASE
                   WHEN bool_or(c.name = 'Closed') THEN 'CLOSED'
                   WHEN bool_or(c.name = 'CloseRequested') THEN 'CLOSING'
                   ELSE 'OPEN' END
        FROM chain_event c
        WHERE c.channel = e.channel AND c.name IN ('Closed', 'CloseRequested')) AS state
FROM chain_event e
WHERE name = 'ChannelCreated';

-- Budgets consumers set on their spend, and the alerts raised when spend passes them (once per period).
CREATE TABLE consumer_budget (
    consumer_address TEXT           PRIMARY KEY CHECK (consumer_address ~ '^0x[0-9a-f]{40}$'),
    period           TEXT           NOT NULL CHECK (period IN ('DAY', 'MONTH')),
    amount_wei       NUMERIC(78, 0) NOT NULL CHECK (amount_wei >= 0),
    updated_at       TIMESTAMPTZ    NOT NULL DEFAULT now()
);

CREATE TABLE budget_alert (
    consumer_address TEXT           NOT NULL,
    period_start     TIMESTAMPTZ    NOT NULL,
    period           TEXT           NOT NULL,
    budget_wei       NUMERIC(78, 0) NOT NULL,
    spent_wei        NUMERIC(78, 0) NOT NULL,
    raised_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_address, period_start)
);

-- Transitive attribution: the gateway records, per minute, which origin (the channel whose consumer's traffic
-- started the chain of calls) each paid call carried; equal to the paying channel for direct calls.
CREATE TABLE gateway_origin_minute (
    minute     TIMESTAMPTZ    NOT NULL,
    channel    CHAR(42)       NOT NULL,
    origin     CHAR(42)       NOT NULL,
    requests   BIGINT         NOT NULL CHECK (requests >= 0),
    value_wei  NUMERIC(78, 0) NOT NULL CHECK (value_wei >= 0),
    PRIMARY KEY (channel, origin, minute)
);
