#!/usr/bin/env python3
"""Deterministic generator of an export pair shaped like real exports, for benchmarks.

    python3 bench/generate.py N OUTDIR

writes OUTDIR/crm.csv (Salesforce-like: every value quoted, names with commas, doubled quotes
and non-ASCII text), OUTDIR/accounting.csv and OUTDIR/accounting.xml (the same accounting data
as SAF-T-like XML with a default namespace), and OUTDIR/rules.yaml + OUTDIR/rules-xml.yaml.

Shape: about 5% of keys only on one side (half each way), 2% amount and 0.5% currency
differences, 2% reversed bookings, 1% unposted drafts.
"""
import os
import random
import sys

NAMES = ["Müller GmbH", "Schulz & Partner", "Nordlicht AG, Lizenzen", 'Kern "Premium" KG',
         "Bäckerei Kern", "Société Générale", "Øresund Logistik", "Hafen, Lager & Co",
         "Zürich Versicherung", "Łódź Trading"]
STAGES_OPEN = ["Prospecting", "Qualification", "Negotiation/Review"]


def main() -> None:
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261130)
    crm = open(os.path.join(out, "crm.csv"), "w", encoding="utf-8", newline="")
    acc = open(os.path.join(out, "accounting.csv"), "w", encoding="utf-8", newline="")
    xml = open(os.path.join(out, "accounting.xml"), "w", encoding="utf-8", newline="")
    crm.write('"Id","Name","StageName","Amount","CurrencyIsoCode","CloseDate","LastModifiedDate","Invoice_Number__c"\r\n')
    acc.write("invoice,status,amount,currency,posting_date\n")
    xml.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO">\n'
              '  <GeneralLedgerEntries>\n    <Journal>\n')
    for i in range(n):
        key = f"RE-{2026000000 + i}"
        r = rng.random()
        crm_only = r < 0.025
        acc_only = 0.025 <= r < 0.05
        cents = rng.randrange(100, 10_000_000)
        amount = f"{cents // 100}.{cents % 100:02d}"
        currency = "EUR"
        day = 1 + i % 28
        if not acc_only:
            name = rng.choice(NAMES).replace('"', '""') + f" {i}"
            stage = "Closed Won" if rng.random() < 0.8 else rng.choice(STAGES_OPEN)
            crm_amount = amount
            if rng.random() < 0.02:
                c2 = cents + rng.randrange(1, 5000)
                crm_amount = f"{c2 // 100}.{c2 % 100:02d}"
            crm_currency = "USD" if rng.random() < 0.005 else currency
            crm.write(f'"006{i:015d}","{name}","{stage}","{crm_amount}","{crm_currency}",'
                      f'"2026-11-{day:02d} 00:00:00","2026-11-{day:02d} 12:{i % 60:02d}:00","{key}"\r\n')
        if not crm_only:
            s = rng.random()
            status = "reversed" if s < 0.02 else ("draft" if s < 0.03 else "posted")
            acc.write(f"{key},{status},{amount},{currency},2026-11-{day:02d}\n")
            xml.write(f'      <Transaction>\n        <TransactionID>{key}</TransactionID>\n'
                      f'        <Status>{status}</Status>\n        <TransactionDate>2026-11-{day:02d}</TransactionDate>\n'
                      f'        <Amount currency="{currency}">{amount}</Amount>\n      </Transaction>\n')
    xml.write('    </Journal>\n  </GeneralLedgerEntries>\n</AuditFile>\n')
    for f in (crm, acc, xml):
        f.close()
    rules = RULES.replace("@ACCOUNTING@", ACC_CSV)
    open(os.path.join(out, "rules.yaml"), "w").write(rules)
    open(os.path.join(out, "rules-xml.yaml"), "w").write(RULES.replace("@ACCOUNTING@", ACC_XML))


ACC_CSV = """  accounting:
    file: accounting.csv
    key: invoice
    fields:
      invoice: invoice
      status: status
      amount: { column: amount, type: decimal }
      currency: currency
"""
ACC_XML = """  accounting:
    file: accounting.xml
    format: xml
    xml: { record: //Transaction }
    key: invoice
    fields:
      invoice: TransactionID
      status: Status
      amount: { path: Amount, type: decimal }
      currency: Amount/@currency
"""
RULES = """demarc: 1
name: benchmark pair
as_of: 2026-11-30
sources:
  crm:
    file: crm.csv
    key: invoice
    fields:
      invoice: Invoice_Number__c
      stage: StageName
      amount: { column: Amount, type: decimal }
      currency: CurrencyIsoCode
@ACCOUNTING@    state:
      field: status
      classes:
        booked: [posted]
        not_booked: [reversed]
        draft: [draft]
rules:
  - id: crm-has-booking
    counterpart: { of: crm, in: accounting }
  - id: booking-has-crm-record
    counterpart: { of: accounting, in: crm }
  - id: amount-owned
    owned: { field: amount, owner: accounting, copies: [crm] }
  - id: currency-owned
    owned: { field: currency, owner: accounting, copies: [crm] }
  - id: accounting-is-definite
    definite: accounting
"""

if __name__ == "__main__":
    main()
