alter table ingest_source drop constraint ingest_source_kind_check;
alter table ingest_source add constraint ingest_source_kind_check
    check (kind in ('segment', 'csv', 'stripe', 'api', 'warehouse', 'zendesk', 'intercom'));

-- Where each Intercom search of a source goes on from: the latest updated_at (seconds since 1970) it read, kept when
-- a pull of that feed reached the end, so that a pull cut off starts that feed again from the watermark before it.
create table ingest_intercom_watermark (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    feed       text not null check (feed in ('companies', 'contacts', 'conversations', 'tickets')),
    watermark  text not null,
    updated_at timestamptz not null,
    primary key (source_id, feed)
);

-- How each Intercom company became an account: created from it (Intercom names the account), or linked to an
-- account Steward already had, by the company's company_id or its website's domain (Intercom names nothing).
create table ingest_intercom_company (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    company_id text not null,
    matched_by text not null check (matched_by in ('created', 'external_id', 'domain')),
    primary key (source_id, company_id)
);

-- The company of each contact pulled, so that a conversation or ticket (which names only its contacts) finds its
-- account.
create table ingest_intercom_contact (
    source_id  uuid not null references ingest_source (id) on delete cascade,
    contact_id text not null,
    company_id text,
    primary key (source_id, contact_id)
);
