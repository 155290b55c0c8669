-- Name search is "contains" (ilike '%text%'), which a b-tree cannot answer: with 100,000 accounts a rare name
-- walked most of the table. A trigram index finds the few matching rows.
create extension if not exists pg_trgm;
create index account_name_trigrams on account using gin (name gin_trgm_ops);

-- A CSM's accounts in one lifecycle stage by renewal date ("my renewals"), in the order the list sorts them, so
-- the first page reads 51 rows instead of the CSM's whole book.
create index account_owner_stage_renewal
    on account (owner_id, lifecycle_stage, (coalesce(renewal_date, date '9999-12-31')), id);
