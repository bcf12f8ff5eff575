-- Hourly sums of the gateway's per-minute usage, kept by a trigger on every insert or upsert of a minute row,
-- so statements over months read hours (60 times fewer rows) and only the partial hours at a period's edges
-- from the minute table. Hours are UTC hours (date_bin from the Unix epoch), whatever the session time zone.
CREATE TABLE usage_hour (
    hour        TIMESTAMPTZ    NOT NULL,
    listing_id  TEXT           NOT NULL,
    channel     CHAR(42)       NOT NULL,
    epoch       BIGINT         NOT NULL,
    category    SMALLINT       NOT NULL,
    requests    BIGINT         NOT NULL CHECK (requests >= 0),
    value_wei   NUMERIC(78, 0) NOT NULL CHECK (value_wei >= 0),
    PRIMARY KEY (channel, hour, listing_id, epoch, category)
);

CREATE FUNCTION usage_hour_add() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    more_requests BIGINT := NEW.requests;
    more_value    NUMERIC(78, 0) := NEW.value_wei;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        more_requests := NEW.requests - OLD.requests;
        more_value := NEW.value_wei - OLD.value_wei;
    END IF;
    INSERT INTO usage_hour (hour, listing_id, channel, epoch, category, requests, value_wei)
    VALUES (date_bin('1 hour', NEW.minute, TIMESTAMPTZ '1970-01-01 00:00:00+00'), NEW.listing_id, NEW.channel,
            NEW.epoch, NEW.category, more_requests, more_value)
    ON CONFLICT (channel, hour, listing_id, epoch, category) DO UPDATE SET
        requests = usage_hour.requests + EXCLUDED.requests,
        value_wei = usage_hour.value_wei + EXCLUDED.value_wei;
    RETURN NEW;
END
$$;

CREATE TRIGGER gateway_usage_minute_to_hour
    AFTER INSERT OR UPDATE ON gateway_usage_minute
    FOR EACH ROW EXECUTE FUNCTION usage_hour_add();

INSERT INTO usage_hour (hour, listing_id, channel, epoch, category, requests, value_wei)
SELECT date_bin('1 hour', minute, TIMESTAMPTZ '1970-01-01 00:00:00+00'), listing_id, channel, epoch, category,
       sum(requests), sum(value_wei)
FROM gateway_usage_minute
GROUP BY 1, 2, 3, 4, 5;
