-- Gateway-to-upstream proof: each listing has a secret its gateways send to its upstream on every forwarded
-- request (header Tollgate-Upstream-Secret), so the provider can refuse traffic that did not pass a gateway.
-- 32 random bytes as 64 hex digits; the marketplace generates new ones (SecureRandom) at creation and rotation.
-- Listings that exist already get one here from two random UUIDs (244 random bits): their providers rotate it.
ALTER TABLE listing ADD COLUMN upstream_secret TEXT;
UPDATE listing SET upstream_secret = replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
ALTER TABLE listing ALTER COLUMN upstream_secret SET NOT NULL;
ALTER TABLE listing ADD CONSTRAINT listing_upstream_secret_hex CHECK (upstream_secret ~ '^[0-9a-f]{64}$');
