-- Write keys: what a Segment library or destination sends (as the HTTP Basic user name) to say which source its events
-- belong to. Only the SHA-256 hash of a key is stored; the key itself is shown once, when it is created.
create table ingest_write_key (
    id         uuid primary key,
    source_id  uuid not null references ingest_source (id) on delete cascade,
    name       text not null,
    -- The first characters of the key, so that people can tell keys apart without the key.
    prefix     text not null,
    key_hash   text not null unique,
    created_at timestamptz not null,
    revoked_at timestamptz
);
create index ingest_write_key_source on ingest_write_key (source_id, created_at desc);
