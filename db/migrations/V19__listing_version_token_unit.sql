-- Listing versions name the unit of their amounts: the token's symbol and decimals as the listing kept them (V17),
-- null for ether (ETH, 18) and in versions recorded before.
CREATE OR REPLACE FUNCTION listing_snapshot(of_listing BIGINT) RETURNS JSONB LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'name', l.name,
        'description', l.description,
        'upstreamUrl', l.upstream_url,
        'docsUrl', l.docs_url,
        'token', coalesce(l.token_address, 'ether'),
        'tokenSymbol', l.token_symbol,
        'tokenDecimals', l.token_decimals,
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
