-- Sign-In with Ethereum (EIP-4361): each nonce is issued once and consumed once, before it expires.
CREATE TABLE sign_in_nonce (
    nonce      TEXT        PRIMARY KEY CHECK (nonce ~ '^[A-Za-z0-9]{8,64}$'),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX sign_in_nonce_expiry ON sign_in_nonce (expires_at);
