-- Authorizations under way (OAuth 2 authorization code) of every kind of pulled source, not only Salesforce's: what
-- the administrator gave, the client secret sealed, until the vendor sends them back with a code (or too long passed).
alter table ingest_salesforce_authorization rename to ingest_pull_authorization;
alter index ingest_salesforce_authorization_pkey rename to ingest_pull_authorization_pkey;
alter table ingest_pull_authorization add column kind text not null default 'salesforce';
alter table ingest_pull_authorization alter column kind drop default;
