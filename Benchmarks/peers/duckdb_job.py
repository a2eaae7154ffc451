"""Runs reference.sql in DuckDB (both cores): python3 duckdb_job.py INPUT.csv OUTPUT.jsonl"""
import os, sys
import duckdb

here = os.path.dirname(os.path.abspath(__file__))
sql = open(os.path.join(here, "reference.sql")).read().replace("$INPUT", sys.argv[1]).replace("$OUTPUT", sys.argv[2])
con = duckdb.connect()
con.execute("SET threads TO 2")
sql = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
for statement in sql.split(";\n"):
    if statement.strip():
        con.execute(statement)
