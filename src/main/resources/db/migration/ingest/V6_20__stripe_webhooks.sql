-- The signing secrets of a Stripe source's webhook endpoint. Several are active while a secret is rolled: a
-- delivery passes when it is signed with any of them. Kept as given (not hashed), because verifying an HMAC needs
-- the secret itself; the API shows only the last characters.
create table ingest_stripe_secret (
    id        uuid primary key,
    source_id uuid not null references ingest_source (id) on delete cascade,
    secret    text not null check (secret ~ '^whsec_[A-Za-z0-9_+/=-]{1,200}$'),
    added_at  timestamptz not null,
    unique (source_id, secret)
);

-- Every verified delivery, once per Stripe event id and source: a repeated delivery finds its id here and changes
-- nothing. Outcome says what the event did: applied, superseded (a newer state of its object was already applied),
-- ignored (a type Steward does not use) or rejected (with the reason).
create table ingest_stripe_event (
    source_id   uuid not null references ingest_source (id) on delete cascade,
    event_id    text not null,
    type        text not null,
    created     timestamptz not null,
    object_id   text,
    payload     jsonb not null,
    received_at timestamptz not null,
    outcome     text not null check (outcome in ('applied', 'superseded', 'ignored', 'rejected')),
    reason      text,
    primary key (source_id, event_id)
);
create index ingest_stripe_event_latest on ingest_stripe_event (source_id, received_at desc);

-- Per Stripe object (customer, subscription, invoice) the event whose state was applied last: its creation time and
-- how far along the object's life that state is (rank), so that a late, older event never overwrites a newer state.
create table ingest_stripe_object (
    source_id     uuid not null references ingest_source (id) on delete cascade,
    object_id     text not null,
    event_id      text not null,
    event_created timestamptz not null,
    state_rank    smallint not null,
    primary key (source_id, object_id)
);
