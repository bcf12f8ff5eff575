-- Upgrade offers: for a subscribed channel that runs an older release than the factory's latest, the consent
-- both parties sign (owner in the consumer's page, payout in the provider's) to move it to that release, with
-- the channel's upgrade nonce and a deadline in chain time (unix seconds). At most one open offer per channel;
-- an offer ends DONE (the channel runs the target), EXPIRED (deadline passed unsent) or STALE (the channel's
-- nonce or implementation moved on another way). consent_typehash: the UPGRADE_CONSENT_TYPEHASH of the code the
-- channel ran when offered, which names the typed data format the consents are in. Consents are 65-byte r‖s‖v signatures, checked on submission.
CREATE TABLE upgrade_offer (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id       BIGINT         NOT NULL REFERENCES subscription (id),
    channel               TEXT           NOT NULL CHECK (channel ~ '^0x[0-9a-f]{40}$'),
    from_implementation   TEXT           NOT NULL CHECK (from_implementation ~ '^0x[0-9a-f]{40}$'),
    from_release          INTEGER        NOT NULL CHECK (from_release >= 1),
    target_implementation TEXT           NOT NULL CHECK (target_implementation ~ '^0x[0-9a-f]{40}$'),
    target_release        INTEGER        NOT NULL CHECK (target_release > from_release),
    consent_typehash      TEXT           NOT NULL CHECK (consent_typehash ~ '^0x[0-9a-f]{64}$'),
    migration_data        TEXT           NOT NULL CHECK (migration_data ~ '^0x([0-9a-f]{2})*$'),
    nonce                 NUMERIC(78, 0) NOT NULL CHECK (nonce >= 0),
    deadline              BIGINT         NOT NULL CHECK (deadline > 0),
    owner_address         TEXT           NOT NULL CHECK (owner_address ~ '^0x[0-9a-f]{40}$'),
    payout_address        TEXT           NOT NULL CHECK (payout_address ~ '^0x[0-9a-f]{40}$'),
    owner_consent         TEXT           CHECK (owner_consent ~ '^0x[0-9a-f]{130}$'),
    payout_consent        TEXT           CHECK (payout_consent ~ '^0x[0-9a-f]{130}$'),
    state                 TEXT           NOT NULL CHECK (state IN ('OPEN', 'DONE', 'EXPIRED', 'STALE')),
    created_at            TIMESTAMPTZ    NOT NULL DEFAULT now(),
    ended_at              TIMESTAMPTZ
);
CREATE UNIQUE INDEX upgrade_offer_open ON upgrade_offer (channel) WHERE state = 'OPEN';
CREATE INDEX upgrade_offer_channel ON upgrade_offer (channel);
