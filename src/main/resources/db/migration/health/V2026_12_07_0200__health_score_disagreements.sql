-- A CSM's "I disagree with this score": the color the account's health should have been on a day, and why, beside
-- the model's color, score and scorecard version stored for that day. An administrator reviews it (accepted or
-- dismissed, with a note); what became of the account later tells who was right (the backtest page counts that).
-- The account is not a foreign key, as for health_score; a deleted account's disagreements go with its scores.
create table health_score_disagreement (
    id                uuid primary key,
    account_id        uuid not null,
    day               date not null,
    model_color       text not null check (model_color in ('green', 'yellow', 'red')),
    model_score       real not null check (model_score between 0 and 100),
    scorecard         text not null,
    scorecard_version integer not null,
    suggested_color   text not null check (suggested_color in ('green', 'yellow', 'red')),
    reason            text not null check (length(btrim(reason)) between 1 and 2000),
    author_id         uuid,
    author_login      text not null,
    author_name       text not null,
    created_at        timestamptz not null,
    decision          text check (decision in ('accepted', 'dismissed')),
    review_note       text check (length(review_note) <= 2000),
    reviewed_by       text,
    reviewed_at       timestamptz,
    check (suggested_color <> model_color),
    check ((decision is null) = (reviewed_at is null)),
    check (decision <> 'dismissed' or length(btrim(review_note)) > 0)
);
create index health_score_disagreement_account on health_score_disagreement (account_id, created_at desc);
create index health_score_disagreement_created on health_score_disagreement (created_at desc);
-- One open disagreement per account and person: a second waits until the first is reviewed.
create unique index health_score_disagreement_one_open
    on health_score_disagreement (account_id, author_login) where decision is null;
