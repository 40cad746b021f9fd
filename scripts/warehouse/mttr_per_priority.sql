-- MTTR per priority (DuckDB): mean wall-clock time from opened_at to
-- resolved_at (PagerDuty's definition, as in svc sla) over the resolved
-- incidents of each priority, with MTTA beside it and the share of
-- resolutions that met their target.
SELECT priority,
       count(*) AS incidents,
       count(resolved_at) AS resolved,
       round(avg(time_to_acknowledge_seconds)) AS mtta_seconds,
       round(avg(time_to_resolve_seconds)) AS mttr_seconds,
       round(avg(time_to_resolve_seconds) / 3600, 2) AS mttr_hours,
       round(100.0 * count(*) FILTER (WHERE resolution_state = 'met')
             / nullif(count(*) FILTER (WHERE resolution_state IN ('met', 'breached')), 0), 2)
         AS resolution_met_pct
FROM incidents
GROUP BY priority
ORDER BY priority;
