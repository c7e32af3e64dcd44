#!/usr/bin/env python3
"""Runs bench/findings.sql with DuckDB (threads=2) in DIR: `python duckdb_findings.py DIR [THREADS]`.

Reads DIR/crm.csv and DIR/accounting.csv, writes DIR/duckdb-findings.csv (rule, key per line).
"""
import os
import sys

import duckdb

sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "findings.sql")).read()
os.chdir(sys.argv[1])
con = duckdb.connect()
con.execute(f"SET threads = {int(sys.argv[2]) if len(sys.argv) > 2 else 2}")
con.execute("SET preserve_insertion_order = false")
con.execute(sql)
con.close()
