-- Stripe's API keys and webhook signing secrets are sealed at rest (AES-GCM, see SecretBox) from now on: the values
-- no longer have the vendor's shape in the database, and the rows already there are sealed at the next start. A
-- signing secret is told apart from the source's others by its SHA-256 digest, since sealing the same secret twice
-- gives two different values.
alter table ingest_stripe_api_key drop constraint ingest_stripe_api_key_api_key_check;
alter table ingest_stripe_secret drop constraint ingest_stripe_secret_secret_check;
alter table ingest_stripe_secret add column secret_digest text;
update ingest_stripe_secret set secret_digest = encode(sha256(convert_to(secret, 'UTF8')), 'hex');
alter table ingest_stripe_secret alter column secret_digest set not null;
alter table ingest_stripe_secret drop constraint ingest_stripe_secret_source_id_secret_key;
alter table ingest_stripe_secret add constraint ingest_stripe_secret_digest unique (source_id, secret_digest);
-- The last characters of each secret, to tell them apart on pages without opening them.
alter table ingest_stripe_secret add column hint text;
update ingest_stripe_secret set hint = 'whsec_…' || substring(secret from greatest(7, length(secret) - 3));
alter table ingest_stripe_api_key add column key_hint text;
update ingest_stripe_api_key
set key_hint = substring(api_key from '^[a-z]+_[a-z]+_') || '…' || substring(api_key from greatest(9, length(api_key) - 3));
