"""The reference screening job in polars (see reference.sql for what it computes):
python3 polars_job.py INPUT.csv OUTPUT.jsonl"""
import sys
from datetime import date, timedelta
import polars as pl

BASE_DAY = date(2020, 1, 1)
H = 180.0  # half-life in local days
BANK_HOLIDAYS = [date.fromisoformat(d) for d in (
    "2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26 2026-01-01 2026-04-03 "
    "2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28 2027-01-01 2027-03-26 2027-03-29 2027-05-03 "
    "2027-05-31 2027-08-30 2027-12-27 2027-12-28").split()]

rows = pl.read_csv(sys.argv[1], infer_schema=False).with_row_index("rn")
first = rows.group_by("incident_id").agg(pl.col("rn").min())
one = rows.join(first, on=["incident_id", "rn"])
kids = (rows.join(first.rename({"rn": "first_rn"}), on="incident_id")
        .filter(pl.col("child_id").is_not_null())
        .select("incident_id", pl.col("child_dob").str.to_date("%Y-%m-%d", strict=False).alias("dob"),
                pl.col("child_school_urn").alias("urn")))

flags = pl.col("flags").fill_null("")
weight = (pl.when(pl.col("dash_risk").str.to_lowercase() == "high").then(10)
          .when(pl.col("dash_risk").str.to_lowercase() == "medium").then(4).otherwise(1)
          + flags.str.contains("strangulation").cast(pl.Int32) * 5 + flags.str.contains("child_injured").cast(pl.Int32) * 5
          + flags.str.contains("weapon").cast(pl.Int32) * 3 + flags.str.contains("threats_to_kill").cast(pl.Int32) * 3
          + flags.str.contains(r"(^|;)injury(;|$)").cast(pl.Int32) * 2 + flags.str.contains("substance_misuse").cast(pl.Int32) * 2
          + flags.str.contains("mental_health").cast(pl.Int32) * 2 + flags.str.contains("breach_of_order").cast(pl.Int32) * 2)

inc = one.select(
    "rn", "incident_id",
    pl.col("occurred_at").str.to_datetime(time_zone="UTC").alias("ts"),
    pl.when(pl.col("household_id").is_not_null()).then(pl.lit("h:") + pl.col("household_id"))
      .when(pl.col("uprn").is_not_null()).then(pl.lit("u:") + pl.col("uprn"))
      .otherwise(pl.lit("p:") + pl.col("postcode").fill_null("").str.replace_all(" ", "").str.to_uppercase()
                 + pl.lit("|") + pl.col("victim_id")).alias("hh"),
    pl.col("victim_pregnant").str.to_lowercase().is_in(["true", "yes", "y", "1"]).alias("pregnant"),
    pl.col("dash_risk").str.to_lowercase().alias("dash_risk"),
    pl.col("dash_score").cast(pl.Int32, strict=False).alias("dash_score"),
    weight.alias("weight"),
).with_columns(
    local_day=pl.col("ts").dt.convert_time_zone("Europe/London").dt.date(),
).with_columns(
    dn=(pl.col("local_day") - pl.lit(BASE_DAY)).dt.total_days(),
).with_columns(wexp=pl.col("weight") * (2.0 ** (pl.col("dn") / H))).sort("ts", "rn")

# Windows and decay count local days (README "Windows count local calendar days"): everything at the household
# up to the end of the day (365 days back), less what comes later on the same day.
per_day = inc.group_by("hh", "dn").agg(n=pl.len(), w=pl.col("wexp").sum()).sort("dn")
upto_day = (per_day.rolling(index_column="dn", period="366i", group_by="hh", closed="right")
            .agg(day_n=pl.col("n").sum(), day_w=pl.col("w").sum()))
inc = inc.with_columns(
    later_n=pl.len().over("hh", "dn") - pl.int_range(1, pl.len() + 1).over("hh", "dn"),
    later_w=pl.col("wexp").sum().over("hh", "dn") - pl.col("wexp").cum_sum().over("hh", "dn"),
).join(upto_day, on=["hh", "dn"]).with_columns(
    household_incidents=pl.col("day_n") - pl.col("later_n"),
    household_score=((pl.col("day_w") - pl.col("later_w")) * 2.0 ** (-pl.col("dn") / H)).round(3))

age = (pl.col("local_day").dt.year() - pl.col("dob").dt.year()
       - (pl.col("local_day").dt.strftime("%m%d") < pl.col("dob").dt.strftime("%m%d")).cast(pl.Int32))
minors = (kids.join(inc.select("incident_id", "local_day"), on="incident_id")
          .filter(pl.col("dob").is_not_null() & (pl.col("dob") <= pl.col("local_day")))
          .with_columns(age=age).filter(pl.col("age") < 18)
          .group_by("incident_id").agg(school=pl.col("urn").is_not_null().any(), under5=(pl.col("age") <= 4).any()))
inc = inc.join(minors, on="incident_id", how="left").with_columns(
    to_school=pl.col("school").fill_null(False),
    to_health_visitor=pl.col("pregnant") | pl.col("under5").fill_null(False),
    to_marac=(pl.col("dash_risk") == "high") | (pl.col("dash_score").fill_null(0) >= 14))

days = pl.DataFrame({"d": pl.date_range(date(2020, 1, 1), date(2040, 12, 31), "1d", eager=True)})
school = (days.filter((pl.col("d").dt.weekday() <= 5) & ~pl.col("d").is_in(BANK_HOLIDAYS))
          .select(start=(pl.col("d").cast(pl.Datetime("us")) + timedelta(hours=8, minutes=30))
                  .dt.replace_time_zone("Europe/London").dt.convert_time_zone("UTC")))
inc = inc.sort("ts").join_asof(school.sort("start"), left_on="ts", right_on="start", strategy="forward",
                               allow_exact_matches=False)
out = inc.sort("rn").select(
    "incident_id", "household_incidents", "household_score", "to_school", "to_health_visitor", "to_marac",
    pl.when(pl.col("to_school")).then(pl.col("start").dt.epoch("s")).alias("school_notify_by"))
out.write_ndjson(sys.argv[2])
