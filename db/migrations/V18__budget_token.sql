-- Budgets per token: a consumer may keep one budget per token its channels pay in (ether, or one ERC-20), each
-- compared with the spend in that token only, and alerts raised per token. token_address is the zero address for
-- ether (the existing budgets and alerts, which were all in wei, become ether's); amounts are integers of the
-- token's smallest unit (wei for ether).
ALTER TABLE consumer_budget
    ADD COLUMN token_address TEXT NOT NULL DEFAULT '0x0000000000000000000000000000000000000000'
        CHECK (token_address ~ '^0x[0-9a-f]{40}$');
ALTER TABLE consumer_budget DROP CONSTRAINT consumer_budget_pkey;
ALTER TABLE consumer_budget ADD PRIMARY KEY (consumer_address, token_address);
ALTER TABLE consumer_budget RENAME COLUMN amount_wei TO amount_units;

ALTER TABLE budget_alert
    ADD COLUMN token_address TEXT NOT NULL DEFAULT '0x0000000000000000000000000000000000000000'
        CHECK (token_address ~ '^0x[0-9a-f]{40}$');
ALTER TABLE budget_alert DROP CONSTRAINT budget_alert_pkey;
ALTER TABLE budget_alert ADD PRIMARY KEY (consumer_address, token_address, period_start);
ALTER TABLE budget_alert RENAME COLUMN budget_wei TO budget_units;
ALTER TABLE budget_alert RENAME COLUMN spent_wei TO spent_units;
