#!/usr/bin/env python3
"""Generates a pair of CRM / accounting CSV exports for `demarc check` benchmarks.

usage: python3 bench/gen.py [N] [OUT]   (default 1000000 records each, into bench/out)
Deterministic (fixed seed). About 2% of cases differ in state, amount or presence.
"""
import os
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "out")
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
stages = ["Closed Won"] * 70 + ["Closed Lost"] * 20 + ["Prospecting"] * 6 + ["Clarification Needed"] * 4

with open(os.path.join(out, "crm.csv"), "w", newline="") as crm, \
     open(os.path.join(out, "accounting.csv"), "w", newline="") as acc:
    crm.write("Id,Invoice_Number__c,StageName,Amount,CurrencyIsoCode,LastModifiedDate\n")
    acc.write("invoice,status,total,currency,booked_on\n")
    for i in range(n):
        inv = f"RE-{2026 - i % 3}-{i:07d}"
        stage = stages[rng.randrange(100)]
        cents = rng.randrange(100, 10_000_000)
        day = 1 + rng.randrange(28)
        month = 1 + rng.randrange(11)
        crm.write(f"006{i:012d},{inv},{stage},{cents // 100}.{cents % 100:02d},EUR,"
                  f"2026-{month:02d}-{day:02d} 12:{i % 60:02d}:00\n")
        r = rng.randrange(100)
        if stage == "Closed Won" and r == 0:
            continue                                   # booked in CRM, missing in accounting
        status = "B" if stage == "Closed Won" else ("N" if stage == "Closed Lost" else "O")
        if r == 1:
            status = "N"                               # disagreement
        total = cents + (100 if r == 2 else 0)         # amount differs
        acc.write(f"{inv.lower() if r == 3 else inv},{status},{total // 100}.{total % 100:02d},EUR,"
                  f"2026-{month:02d}-{day:02d}\n")
