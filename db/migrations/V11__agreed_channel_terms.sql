-- The channel terms a subscription agreed besides the offer's prices (which stay on the negotiation): the token
-- and the channel times T_r and T_c, fixed when the call was prepared (or when a channel made elsewhere was
-- registered) and verified on chain at activation. Gateways admit a channel only with exactly these terms.
ALTER TABLE subscription
    ADD COLUMN token_address         TEXT   CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
    ADD COLUMN redeem_window_seconds BIGINT CHECK (redeem_window_seconds > 0),
    ADD COLUMN close_delay_seconds   BIGINT CHECK (close_delay_seconds > 0);
