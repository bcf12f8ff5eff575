-- A listing priced in an ERC-20 keeps the symbol and decimals its contract reported when the token was set, so
-- prices, statements and 402 answers are written in the token's units without a chain read. Ether listings
-- (token_address NULL) keep both NULL: ETH, 18 decimals.
ALTER TABLE listing
    ADD COLUMN token_symbol   TEXT     CHECK (length(token_symbol) BETWEEN 1 AND 32),
    ADD COLUMN token_decimals INTEGER  CHECK (token_decimals BETWEEN 0 AND 36),
    ADD CONSTRAINT listing_token_unit_whole CHECK ((token_symbol IS NULL) = (token_decimals IS NULL)),
    ADD CONSTRAINT listing_token_unit_named CHECK (token_address IS NOT NULL OR token_symbol IS NULL);
