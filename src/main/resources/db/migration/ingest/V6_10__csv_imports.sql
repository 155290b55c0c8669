-- Column mappings saved per source and kind of record, so that the next file of a source arrives mapped.
create table ingest_csv_mapping (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    entity     text not null,
    mapping    jsonb not null,
    updated_at timestamptz not null,
    primary key (source_id, entity)
);

-- Files uploaded for import, kept between upload, mapping and import in the database, so that any instance can
-- carry an import on and a restart loses nothing. Removed once expired.
create table ingest_csv_upload (
    id           uuid primary key,
    source_id    uuid not null references ingest_source (id) on delete cascade,
    entity       text not null,
    file_name    text not null,
    content      bytea not null,
    mapping      jsonb not null,
    -- Whether the mapping was saved for the source, suggested from the header, or edited for this file.
    mapping_origin text not null check (mapping_origin in ('saved', 'suggested', 'edited')),
    report       jsonb,
    rejected_csv bytea,
    uploaded_by  text,
    uploaded_at  timestamptz not null,
    expires_at   timestamptz not null
);
create index ingest_csv_upload_expiry on ingest_csv_upload (expires_at);
