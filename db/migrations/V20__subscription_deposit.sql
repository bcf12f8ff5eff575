-- The deposit a subscription was prepared with, in the smallest unit of the listing's money (wei or the token's):
-- a token subscription's permit must be for exactly this amount before the marketplace hands out the
-- createChannelWithPermit transaction that spends it. NULL on subscriptions prepared before it was kept.
ALTER TABLE subscription ADD COLUMN deposit_units NUMERIC(78, 0) CHECK (deposit_units >= 0);
