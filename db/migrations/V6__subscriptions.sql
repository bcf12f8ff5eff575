-- A provider names the operator key its gateway redeems with (default: none given, the payout address).
ALTER TABLE provider ADD COLUMN operator_address TEXT CHECK (operator_address ~ '^0x[0-9a-f]{40}$');

-- Subscriptions: an accepted negotiation, the channel the consumer's wallet creates for it, verified on chain.
CREATE TABLE subscription (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    negotiation_id   BIGINT      NOT NULL UNIQUE REFERENCES negotiation (id),
    consumer_address TEXT        NOT NULL CHECK (consumer_address ~ '^0x[0-9a-f]{40}$'),
    signer_address   TEXT        NOT NULL CHECK (signer_address ~ '^0x[0-9a-f]{40}$'),
    state            TEXT        NOT NULL CHECK (state IN ('PENDING', 'ACTIVE')),
    channel_address  TEXT        UNIQUE CHECK (channel_address ~ '^0x[0-9a-f]{40}$'),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    activated_at     TIMESTAMPTZ
);
CREATE INDEX subscription_consumer ON subscription (consumer_address);
