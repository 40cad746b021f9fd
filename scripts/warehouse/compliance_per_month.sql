-- Compliance per month (DuckDB): met / (met + breached) of the incidents opened
-- in each month of the repo time zone (here Europe/Berlin, acme's), which is
-- how `svc sla --period YYYY-MM` picks them. Pending incidents are left out of
-- compliance, as in svc sla; incidents without a policy have no state.
SELECT strftime(timezone('Europe/Berlin', opened_at), '%Y-%m') AS month,
       count(*) AS incidents,
       count(*) FILTER (WHERE state = 'met') AS met,
       count(*) FILTER (WHERE state = 'breached') AS breached,
       count(*) FILTER (WHERE state = 'pending') AS pending,
       round(100.0 * count(*) FILTER (WHERE state = 'met')
             / nullif(count(*) FILTER (WHERE state IN ('met', 'breached')), 0), 2)
         AS compliance_pct
FROM incidents
GROUP BY month
ORDER BY month;
