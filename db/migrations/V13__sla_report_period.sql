-- Release 2 of the Intermediary settles a window in two steps: monitor reports are added during a report period
-- after the window ends, then the window is settled on the median of all of them. The report period is a term
-- of the listing's SLA (one window length unless the provider says otherwise, 1 s to 16 windows, as the
-- contract allows), and the submitter records that it added a window's reports before it settles it.

ALTER TABLE listing_sla ADD COLUMN report_period_seconds BIGINT;
UPDATE listing_sla SET report_period_seconds = window_seconds;
ALTER TABLE listing_sla
    ALTER COLUMN report_period_seconds SET NOT NULL,
    ADD CONSTRAINT listing_sla_report_period CHECK (report_period_seconds BETWEEN 1 AND 16 * window_seconds);

-- REPORTS_ADDED: release 2, reports of this window were added on chain, the settlement is to come.
ALTER TABLE sla_submission DROP CONSTRAINT sla_submission_state_check;
ALTER TABLE sla_submission ADD CONSTRAINT sla_submission_state_check
    CHECK (state IN ('SENDING', 'CONFIRMED', 'NO_PENALTY', 'REFUSED', 'REPORTS_ADDED'));

-- Listing versions carry the report period.
CREATE OR REPLACE FUNCTION listing_snapshot(of_listing BIGINT) RETURNS JSONB LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'name', l.name,
        'description', l.description,
        'upstreamUrl', l.upstream_url,
        'docsUrl', l.docs_url,
        'token', coalesce(l.token_address, 'ether'),
        'categories', coalesce(
            (SELECT jsonb_agg(jsonb_build_object('category', c.category, 'name', c.name, 'priceWei', c.price_wei::text)
                              ORDER BY c.category)
               FROM listing_category c WHERE c.listing_id = l.id),
            '[]'::jsonb),
        'routes', coalesce(
            (SELECT jsonb_agg(jsonb_build_object('method', r.method, 'path', r.path_pattern, 'category', r.category)
                              ORDER BY r.position)
               FROM listing_route r WHERE r.listing_id = l.id),
            '[]'::jsonb),
        'sla', (SELECT jsonb_build_object(
                    'targetBps', s.target_bps,
                    'windowSeconds', s.window_seconds,
                    'reportPeriodSeconds', s.report_period_seconds,
                    'tiers', coalesce(
                        (SELECT jsonb_agg(jsonb_build_object('belowBps', t.below_bps, 'penaltyWei', t.penalty_wei::text)
                                          ORDER BY t.below_bps DESC)
                           FROM listing_sla_tier t WHERE t.listing_id = s.listing_id),
                        '[]'::jsonb),
                    'monitors', to_jsonb(s.monitors),
                    'quorum', s.quorum,
                    'collateralWei', s.collateral_wei::text,
                    'probePath', s.probe_path)
                  FROM listing_sla s WHERE s.listing_id = l.id))
    FROM listing l
    WHERE l.id = $1
$$;
