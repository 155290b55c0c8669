-- Every request that stores events counts them in its source's row of the day, in the transaction that stores them:
-- with one row per source and day, concurrent requests of a source queued on that row until the one holding it
-- committed, so their commits could not overlap. A request now adds to one of a few rows of the day (its shard, chosen
-- at random), and readers sum the day's rows.
alter table ingest_receipt_daily add column shard smallint not null default 0;
alter table ingest_receipt_daily drop constraint ingest_receipt_daily_pkey;
alter table ingest_receipt_daily add primary key (source_id, day, shard);
