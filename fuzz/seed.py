#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target from Fixtures/ and ../shared/samples."""
import os, re, sys, hashlib

target, out = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
folders = [os.path.join(root, "Fixtures"), os.path.join(root, "Rules"), os.path.join(root, "..", "shared", "samples")]
LIMIT = 32768

def files(exts):
    for folder in folders:
        for base, _, names in os.walk(folder):
            for n in sorted(names):
                if n.lower().endswith(exts):
                    yield os.path.join(base, n)

os.makedirs(out, exist_ok=True)
def put(data):
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

if target == "csv":
    # First bytes: delimiter choice, encoding choice, header line/quote/fields.
    for p in files((".csv", ".tsv", ".txt")):
        data = open(p, "rb").read()[:LIMIT]
        for opts in ([0, 0, 1], [1, 0, 1 | 8], [2, 2, 1 | 16], [3, 0, 1], [0, 5, 0 | 24], [4, 1, 2 | 8]):
            put(bytes(opts) + data)
    for enc in (5, 6):  # utf-16le, utf-16be
        codec = "utf-16-le" if enc == 5 else "utf-16-be"
        put(bytes([0, enc, 1]) + "id;Amount\n1;\"2,5\"\n".encode(codec))
elif target == "xml":
    for p in files((".xml",)):
        data = open(p, "rb").read()[:LIMIT]
        for choice in range(7):
            put(bytes([choice]) + data)
    put(b"\x06<root><r x='1'><a>1</a><b><c>2</c><c>3</c></b></r><r><a/></r></root>")
elif target == "rules":
    for p in files((".yaml", ".yml")):
        put(open(p, "rb").read()[:LIMIT])
elif target == "expr":
    seen = set()
    for p in files((".yaml", ".yml", ".md")):
        for line in open(p, encoding="utf-8", errors="replace"):
            m = re.match(r"\s*-?\s*(?:where|expect|expr|when|if|value|then)\s*:\s*(.+)$", line)
            if m:
                text = m.group(1).strip().strip("'\"")
                if text and text not in seen:
                    seen.add(text)
                    put(text.encode())
    for text in ["crm.amount + 1.5 > erp.total and not crm.paid", "age(crm.due) > 30d or crm.state is open",
                 "crm.status in ['a', 'b'] and exists erp", "coalesce(crm.qty, 0) * 2 = 4",
                 "header.period_start <= crm.due", "((((1))))"]:
        put(text.encode())
