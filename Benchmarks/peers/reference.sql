-- The reference screening job in DuckDB SQL, for the peer benchmark (Benchmarks/peers/run.sh).
-- Input: a canonical triage CSV at $INPUT. Output: one JSON object per incident at $OUTPUT.
-- Does the core of what `triage screen` does with the default policy: one incident per id (first seen),
-- household identity, windowed repeat count per household (365 local days, current included), decayed score
-- (half-life 180 local days), ages on the local date, routes to school (next school-day start), health visitor
-- (under 5 or pregnant) and MARAC (high risk or DASH score >= 14).
SET TimeZone = 'UTC';
CREATE TEMP TABLE rows AS
SELECT *, row_number() OVER () AS rn
FROM read_csv('$INPUT', header = true, all_varchar = true);

CREATE TEMP TABLE inc AS
WITH firsts AS (
  SELECT incident_id, min(rn) AS rn FROM rows GROUP BY incident_id
), one AS (
  SELECT r.* FROM rows r JOIN firsts f USING (rn)
), kids AS (
  SELECT r.incident_id,
    max(CASE WHEN child_dob IS NOT NULL AND child_id IS NOT NULL THEN 1 ELSE 0 END) AS any_child,
    list(struct_pack(dob := strptime(child_dob, '%Y-%m-%d')::DATE, urn := child_school_urn)) FILTER (WHERE child_id IS NOT NULL) AS children
  FROM rows r JOIN (SELECT incident_id, min(rn) AS rn FROM rows GROUP BY incident_id) f USING (incident_id)
  GROUP BY r.incident_id
)
SELECT one.rn, one.incident_id,
  CAST(one.occurred_at AS TIMESTAMPTZ) AS ts,
  CASE WHEN household_id IS NOT NULL THEN 'h:' || household_id
       WHEN uprn IS NOT NULL THEN 'u:' || uprn
       ELSE 'p:' || upper(replace(coalesce(postcode, ''), ' ', '')) || '|' || victim_id END AS hh,
  lower(victim_pregnant) IN ('true', 'yes', 'y', '1') AS pregnant,
  dash_risk, TRY_CAST(dash_score AS INTEGER) AS dash_score,
  (CASE lower(dash_risk) WHEN 'high' THEN 10 WHEN 'medium' THEN 4 ELSE 1 END)
   + (CASE WHEN flags LIKE '%strangulation%' THEN 5 ELSE 0 END) + (CASE WHEN flags LIKE '%child_injured%' THEN 5 ELSE 0 END)
   + (CASE WHEN flags LIKE '%weapon%' THEN 3 ELSE 0 END) + (CASE WHEN flags LIKE '%threats_to_kill%' THEN 3 ELSE 0 END)
   + (CASE WHEN regexp_matches(coalesce(flags, ''), '(^|;)injury(;|$)') THEN 2 ELSE 0 END)
   + (CASE WHEN flags LIKE '%substance_misuse%' THEN 2 ELSE 0 END) + (CASE WHEN flags LIKE '%mental_health%' THEN 2 ELSE 0 END)
   + (CASE WHEN flags LIKE '%breach_of_order%' THEN 2 ELSE 0 END) AS weight,
  kids.children
FROM one JOIN kids USING (incident_id);

CREATE TEMP TABLE school_days AS
SELECT ((d + INTERVAL 8 HOUR + INTERVAL 30 MINUTE)::TIMESTAMP AT TIME ZONE 'Europe/London') AS start
FROM (SELECT unnest(generate_series(DATE '2020-01-01', DATE '2040-12-31', INTERVAL 1 DAY))::DATE AS d)
WHERE isodow(d) <= 5 AND d NOT IN (
  DATE '2025-01-01', DATE '2025-04-18', DATE '2025-04-21', DATE '2025-05-05', DATE '2025-05-26', DATE '2025-08-25',
  DATE '2025-12-25', DATE '2025-12-26', DATE '2026-01-01', DATE '2026-04-03', DATE '2026-04-06', DATE '2026-05-04',
  DATE '2026-05-25', DATE '2026-08-31', DATE '2026-12-25', DATE '2026-12-28', DATE '2027-01-01', DATE '2027-03-26',
  DATE '2027-03-29', DATE '2027-05-03', DATE '2027-05-31', DATE '2027-08-30', DATE '2027-12-27', DATE '2027-12-28');

COPY (
  WITH d AS (
    SELECT *, (timezone('Europe/London', ts))::DATE AS local_day,
      datediff('day', DATE '2020-01-01', (timezone('Europe/London', ts))::DATE) AS dn
    FROM inc
  ), w AS (
    -- Windows and decay count local days (README "Windows count local calendar days"): everything at the
    -- household up to the end of the day, less what comes later on the same day.
    SELECT *,
      count(*) OVER upto_day - count(*) OVER later_today AS household_incidents,
      sum(weight * pow(2.0, dn / 180.0)) OVER upto_day
        - coalesce(sum(weight * pow(2.0, dn / 180.0)) OVER later_today, 0) AS wsum
    FROM d
    WINDOW upto_day AS (PARTITION BY hh ORDER BY dn RANGE BETWEEN 365 PRECEDING AND CURRENT ROW),
      later_today AS (PARTITION BY hh, dn ORDER BY ts, rn ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
  ), aged AS (
    SELECT w.*,
      wsum * pow(2.0, -dn / 180.0) AS household_score,
      list_filter(children, lambda c: c.dob IS NOT NULL AND c.dob <= local_day
        AND (year(local_day) - year(c.dob) - CASE WHEN strftime(local_day, '%m%d') < strftime(c.dob, '%m%d') THEN 1 ELSE 0 END) < 18) AS minors
    FROM w
  ), routed AS (
    SELECT a.*,
      coalesce(len(list_filter(minors, lambda c: c.urn IS NOT NULL)), 0) > 0 AS to_school,
      pregnant OR coalesce(len(list_filter(minors, lambda c: (year(local_day) - year(c.dob) - CASE WHEN strftime(local_day, '%m%d') < strftime(c.dob, '%m%d') THEN 1 ELSE 0 END) <= 4)), 0) > 0 AS to_health_visitor,
      lower(dash_risk) = 'high' OR coalesce(dash_score, 0) >= 14 AS to_marac
    FROM aged a
  )
  SELECT r.incident_id, r.household_incidents, round(r.household_score, 3) AS household_score,
    r.to_school, r.to_health_visitor, r.to_marac,
    CASE WHEN r.to_school THEN epoch(s.start)::BIGINT END AS school_notify_by
  FROM routed r ASOF LEFT JOIN school_days s ON s.start > r.ts
  ORDER BY r.rn
) TO '$OUTPUT' (FORMAT JSON);
