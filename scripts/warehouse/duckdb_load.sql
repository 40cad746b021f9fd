-- Loads `svc export incidents` into DuckDB (docs/warehouse.md): the JSON Lines
-- export as table `incidents`, the CSV export as `incidents_csv` (both files
-- are needed: the CSV table borrows the JSON Lines table's types). The column
-- types are given, not guessed, so a column that happens to be all null (no
-- incident has an `impact` yet) still gets its type. Timestamps are UTC
-- instants (TIMESTAMPTZ). In CSV, `external` is a JSON object in one cell.
CREATE OR REPLACE TABLE incidents AS
SELECT * FROM read_json('incidents.jsonl', format = 'newline_delimited', columns = {
    'id'                          : 'VARCHAR',
    'service'                     : 'VARCHAR',
    'owner'                       : 'VARCHAR',
    'title'                       : 'VARCHAR',
    'priority'                    : 'VARCHAR',
    'priority_source'             : 'VARCHAR',
    'impact'                      : 'TINYINT',
    'urgency'                     : 'TINYINT',
    'category'                    : 'VARCHAR',
    'status'                      : 'VARCHAR',
    'opened_at'                   : 'TIMESTAMPTZ',
    'acknowledged_at'             : 'TIMESTAMPTZ',
    'effective_acknowledged_at'   : 'TIMESTAMPTZ',
    'resolved_at'                 : 'TIMESTAMPTZ',
    'closed_at'                   : 'TIMESTAMPTZ',
    'pauses'                      : 'INTEGER',
    'paused_seconds'              : 'BIGINT',
    'outages'                     : 'INTEGER',
    'outage_seconds'              : 'BIGINT',
    'satisfaction'                : 'TINYINT',
    'feedback'                    : 'VARCHAR',
    'problem'                     : 'VARCHAR',
    'caused_by_change'            : 'VARCHAR',
    'root_cause'                  : 'VARCHAR',
    'postmortem'                  : 'VARCHAR',
    'policy'                      : 'VARCHAR',
    'business_hours'              : 'BOOLEAN',
    'response_target_seconds'     : 'BIGINT',
    'response_counted_seconds'    : 'BIGINT',
    'response_state'              : 'VARCHAR',
    'resolution_target_seconds'   : 'BIGINT',
    'resolution_counted_seconds'  : 'BIGINT',
    'resolution_state'            : 'VARCHAR',
    'state'                       : 'VARCHAR',
    'time_to_acknowledge_seconds' : 'BIGINT',
    'time_to_resolve_seconds'     : 'BIGINT',
    'evaluated_at'                : 'TIMESTAMPTZ',
    'external'                    : 'MAP(VARCHAR, VARCHAR)'
  });

-- The CSV export has the same columns in the same order, so its table takes
-- the JSON Lines table's types (one list of them, above), but for `external`,
-- which CSV holds as JSON text in one cell.
CREATE OR REPLACE TABLE incidents_csv AS
SELECT * REPLACE (CAST(NULL AS VARCHAR) AS external) FROM incidents LIMIT 0;
COPY incidents_csv FROM 'incidents.csv' (HEADER);
