-- Zendesk's and Intercom's cursors and company matches move to the tables every pull connector shares
-- (ingest_pull_cursor, ingest_pull_company), as Freshdesk's are kept.
insert into ingest_pull_cursor (source_id, feed, cursor, updated_at)
select source_id, object, cursor, updated_at from ingest_zendesk_cursor
on conflict (source_id, feed) do nothing;

insert into ingest_pull_cursor (source_id, feed, cursor, updated_at)
select source_id, feed, watermark, updated_at from ingest_intercom_watermark
on conflict (source_id, feed) do nothing;

insert into ingest_pull_company (source_id, company_id, matched_by)
select source_id, organization_id::text, matched_by from ingest_zendesk_organization
on conflict (source_id, company_id) do nothing;

insert into ingest_pull_company (source_id, company_id, matched_by)
select source_id, company_id, matched_by from ingest_intercom_company
on conflict (source_id, company_id) do nothing;

drop table ingest_zendesk_cursor;
drop table ingest_intercom_watermark;
drop table ingest_zendesk_organization;
drop table ingest_intercom_company;
