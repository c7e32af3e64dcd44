-- The findings of bench/rules.yaml (as written by bench/generate.py), computed by DuckDB:
-- two read_csv calls, a full outer join and a few CASE expressions. Run in the folder that
-- holds crm.csv and accounting.csv; writes duckdb-findings.csv with one (rule, key) per line.
--
-- demarc's semantics, spelled out:
-- * keys are normalized with `trim` (the default); an empty key is a missing key: that record
--   forms a case of its own, so it never joins (NULL keys never match) and `counterpart`
--   skips it, while `definite` still looks at it;
-- * owned amount: where the owner (accounting) has a value and the copy (crm) is present, the
--   copy's value must be equal, exactly (tolerance 0); an empty copy differs. DECIMAL(18,6)
--   holds every amount the generator writes exactly (two digits after the point);
-- * owned currency: text compared after trimming; the owner has a value when it is not empty;
-- * definite accounting: a record present and classified (posted, reversed, draft) that is
--   neither booked (posted) nor not_booked (reversed); unclassified ones are left to the
--   implicit unclassified-state check (the generator writes none), as are duplicate keys.
COPY (
    WITH crm AS (
        SELECT nullif(trim(Invoice_Number__c), '') AS k,
               true AS present,
               Amount AS amount,
               trim(coalesce(CurrencyIsoCode, '')) AS currency
        FROM read_csv('crm.csv', header = true, delim = ',', quote = '"', escape = '"',
                      all_varchar = true, types = {'Amount': 'DECIMAL(18,6)'})
    ), acc AS (
        SELECT nullif(trim(invoice), '') AS k,
               true AS present,
               trim(coalesce(status, '')) AS status,
               amount,
               trim(coalesce(currency, '')) AS currency
        FROM read_csv('accounting.csv', header = true, delim = ',', quote = '"', escape = '"',
                      all_varchar = true, types = {'amount': 'DECIMAL(18,6)'})
    ), findings AS (
        SELECT coalesce(c.k, a.k, '') AS key, [
            CASE WHEN c.present AND c.k IS NOT NULL AND a.present IS NULL
                 THEN 'crm-has-booking' END,
            CASE WHEN a.present AND a.k IS NOT NULL AND c.present IS NULL
                 THEN 'booking-has-crm-record' END,
            CASE WHEN c.present AND a.present AND a.amount IS NOT NULL
                      AND (c.amount IS NULL OR c.amount <> a.amount)
                 THEN 'amount-owned' END,
            CASE WHEN c.present AND a.present AND a.currency <> '' AND c.currency <> a.currency
                 THEN 'currency-owned' END,
            CASE WHEN a.present AND a.status IN ('posted', 'reversed', 'draft')
                      AND a.status NOT IN ('posted', 'reversed')
                 THEN 'accounting-is-definite' END
        ] AS rules
        FROM crm c FULL OUTER JOIN acc a ON c.k = a.k
    )
    SELECT rule, key
    FROM (SELECT unnest(rules) AS rule, key FROM findings)
    WHERE rule IS NOT NULL
) TO 'duckdb-findings.csv' (HEADER false);
