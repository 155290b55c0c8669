-- The first and last time a fact of each kind from each source became true, kept up to date as facts are written,
-- so that backtests, scoring and data quality know where each source's data ends without reading every fact.
create table activity_horizon (
    kind     text not null,
    source   text not null,
    first_at timestamptz not null,
    last_at  timestamptz not null,
    primary key (kind, source)
);

insert into activity_horizon (kind, source, first_at, last_at)
select 'ticket', source, min(opened_at), max(opened_at) from ticket group by source
union all
select 'invoice', source, min(issued_on::timestamp at time zone 'UTC'), max(issued_on::timestamp at time zone 'UTC')
  from invoice group by source
union all
select 'meeting', source, min(occurred_at), max(occurred_at) from meeting group by source
union all
select 'survey_response', source, min(responded_at), max(responded_at) from survey_response group by source
union all
select 'note', source, min(written_at), max(written_at) from note group by source
union all
select 'churn_event', source, min(churned_on::timestamp at time zone 'UTC'),
       max(churned_on::timestamp at time zone 'UTC')
  from churn_event group by source
union all
select 'sentiment', source, min(recorded_at), max(recorded_at) from sentiment group by source
union all
select 'health_event', source, min(occurred_at), max(occurred_at) from health_event group by source;
