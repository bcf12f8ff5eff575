-- A release-2 channel's SLA windows start at its creation second, not at a whole minute, so a probe counts in the
-- window it was sent in only when probes are kept per second: a minute row would put up to 59 seconds of probes
-- (an outage among them) into the neighbouring window. Rows already written stay: each counts at its minute's start.
ALTER TABLE sla_probe_minute RENAME TO sla_probe_second;
ALTER TABLE sla_probe_second RENAME COLUMN minute TO sent_second;
ALTER TABLE sla_probe_second RENAME CONSTRAINT sla_probe_minute_pkey TO sla_probe_second_pkey;
