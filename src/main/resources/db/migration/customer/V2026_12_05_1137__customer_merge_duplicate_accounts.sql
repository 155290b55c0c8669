-- Before 2026-12-05, two writers that upserted one external id at the same moment could both create its account: the
-- external id went to one, and the other account was left without any, a duplicate nothing would ever update again
-- (issue 11). Writers can no longer do that; this repairs installations that hold such duplicates, once.
--
-- A duplicate is an account without any external id that has the same name, segment attributes, owner, lifecycle stage
-- and custom fields as an account with an external id, created within an hour of it (the writers raced, so both were
-- created within the time one request takes). Where several accounts with external ids match, the one created nearest
-- in time keeps it, then the lowest id. The duplicate's rows move to that account, so no fact is lost:
--   * rows of every table with an account_id column move as they are; the exceptions below hold one row per account
--     and day (or per account), where both accounts may have one;
--   * usage_daily and segment_usage_daily: values of the same metric and day are added up (metrics whose days combine
--     by their highest value, such as active users, keep the higher); segment_active_user: the users of both; the
--     monthly usage rows are rebuilt from the merged days as the usage module builds them;
--   * health_override: the most recent override in force stays in force, an older one ends when the newer was set;
--   * health_score and ingest_account_freshness are derived and recomputed by their modules: the duplicate's are
--     dropped;
--   * accounts below the duplicate move below the account it duplicated.
-- Then the duplicate is deleted. account_merge records each merge, with the rows that moved from each table.
--
-- This one repair touches the tables of several modules because it must be all or nothing: a duplicate deleted before
-- its facts moved would take them with it.

create table account_merge (
    duplicate_id         uuid primary key,
    survivor_id          uuid not null,
    name                 text not null,
    duplicate_created_at timestamptz not null,
    survivor_created_at  timestamptz not null,
    -- Rows that hung off the duplicate, per table, as found before they moved: {"contact": 2, "usage_daily": 90}.
    rows_moved           jsonb not null default '{}'::jsonb
);

insert into account_merge (duplicate_id, survivor_id, name, duplicate_created_at, survivor_created_at)
select distinct on (d.id) d.id, s.id, d.name, d.created_at, s.created_at
  from account d
  join account s
    on s.name = d.name
   and s.id <> d.id
   and s.tier is not distinct from d.tier
   and s.industry is not distinct from d.industry
   and s.region is not distinct from d.region
   and s.employees is not distinct from d.employees
   and s.owner_id is not distinct from d.owner_id
   and s.lifecycle_stage is not distinct from d.lifecycle_stage
   and s.custom_fields = d.custom_fields
   and s.created_at between d.created_at - interval '1 hour' and d.created_at + interval '1 hour'
   and s.parent_id is distinct from d.id
   and d.parent_id is distinct from s.id
 where not exists (select 1 from account_external_id e where e.account_id = d.id)
   and exists (select 1 from account_external_id e where e.account_id = s.id)
 order by d.id, abs(extract(epoch from s.created_at - d.created_at)), s.id;

do $$
declare
    t text;
    merged integer;
begin
    select count(*) into merged from account_merge;
    if merged = 0 then
        return;
    end if;

    -- What hangs off each duplicate, before anything moves.
    for t in select c.table_name
               from information_schema.columns c
               join information_schema.tables b on b.table_schema = c.table_schema and b.table_name = c.table_name
              where c.table_schema = current_schema() and c.column_name = 'account_id'
                and b.table_type = 'BASE TABLE' and c.table_name <> 'account_merge'
                and not exists (select 1 from pg_inherits i where i.inhrelid = format('%I', c.table_name)::regclass)
              order by c.table_name
    loop
        execute format('update account_merge m set rows_moved = m.rows_moved || jsonb_build_object(%L, n.rows)'
                       ' from (select account_id, count(*) as rows from %I group by account_id) n'
                       ' where n.account_id = m.duplicate_id', t, t);
    end loop;
    update account_merge m
       set rows_moved = m.rows_moved || jsonb_build_object('account (children)', n.rows)
      from (select parent_id, count(*) as rows from account where parent_id is not null group by parent_id) n
     where n.parent_id = m.duplicate_id;

    -- Daily usage: one value per account, metric and day.
    insert into usage_daily (account_id, metric, day, value)
    select m.survivor_id, u.metric, u.day,
           case when max(k.aggregation) = 'max' then max(u.value) else sum(u.value) end
      from usage_daily u
      join account_merge m on m.duplicate_id = u.account_id
      left join usage_metric k on k.key = u.metric
     group by m.survivor_id, u.metric, u.day
    on conflict (account_id, metric, day) do update
       set value = case when (select k.aggregation from usage_metric k where k.key = excluded.metric) = 'max'
                        then greatest(usage_daily.value, excluded.value)
                        else usage_daily.value + excluded.value end;
    delete from usage_daily u using account_merge m where u.account_id = m.duplicate_id;

    delete from usage_month u
     where u.account_id in (select duplicate_id from account_merge union select survivor_id from account_merge);
    insert into usage_month (account_id, month, metrics)
    select account_id, month, string_agg(block, ''::bytea order by metric)
      from (select account_id, date_trunc('month', day)::date as month, metric,
                   int2send(octet_length(convert_to(metric, 'UTF8'))::smallint)
                       || convert_to(metric, 'UTF8') || int2send(count(*)::smallint)
                       || string_agg(int2send(extract(day from day)::smallint), ''::bytea order by day)
                       || string_agg(float8send(value::float8), ''::bytea order by day)
                       as block
              from usage_daily
             where account_id in (select survivor_id from account_merge)
             group by 1, 2, 3) blocks
     group by account_id, month;

    delete from usage_account u
     where u.account_id in (select duplicate_id from account_merge union select survivor_id from account_merge);
    insert into usage_account (account_id, first_day, last_day)
    select account_id, min(day), max(day)
      from usage_daily
     where account_id in (select survivor_id from account_merge)
     group by account_id;

    -- Segment rollups: event counts per account, metric and day add up; active users per day are the users of both.
    insert into segment_usage_daily (account_id, metric, day, value)
    select m.survivor_id, u.metric, u.day, sum(u.value)
      from segment_usage_daily u
      join account_merge m on m.duplicate_id = u.account_id
     group by m.survivor_id, u.metric, u.day
    on conflict (account_id, metric, day) do update set value = segment_usage_daily.value + excluded.value;
    delete from segment_usage_daily u using account_merge m where u.account_id = m.duplicate_id;

    insert into segment_active_user (account_id, day, user_key)
    select m.survivor_id, u.day, u.user_key
      from segment_active_user u
      join account_merge m on m.duplicate_id = u.account_id
    on conflict do nothing;
    delete from segment_active_user u using account_merge m where u.account_id = m.duplicate_id;

    -- Overrides: at most one in force per account. The most recent stays; an older one ends when it was replaced.
    with open as (
        select o.id,
               row_number() over w as rank,
               first_value(o.created_at) over w as replaced_at
          from health_override o
          left join account_merge m on m.duplicate_id = o.account_id
         where o.ended_at is null
           and coalesce(m.survivor_id, o.account_id) in (select survivor_id from account_merge)
        window w as (partition by coalesce(m.survivor_id, o.account_id) order by o.created_at desc, o.id desc))
    update health_override o
       set ended_at = open.replaced_at, ended_by = 'merge of a duplicate account (replaced)'
      from open
     where o.id = open.id and open.rank > 1;
    update health_override o set account_id = m.survivor_id from account_merge m where o.account_id = m.duplicate_id;

    -- Derived rows, recomputed by their modules.
    delete from health_score h using account_merge m where h.account_id = m.duplicate_id;
    delete from ingest_account_freshness f using account_merge m where f.account_id = m.duplicate_id;

    -- Every other table: the rows move as they are.
    for t in select c.table_name
               from information_schema.columns c
               join information_schema.tables b on b.table_schema = c.table_schema and b.table_name = c.table_name
              where c.table_schema = current_schema() and c.column_name = 'account_id'
                and b.table_type = 'BASE TABLE'
                and c.table_name not in ('account_merge', 'account_external_id', 'usage_daily', 'usage_month',
                                         'usage_account', 'segment_usage_daily', 'segment_active_user',
                                         'health_override', 'health_score', 'ingest_account_freshness')
                and not exists (select 1 from pg_inherits i where i.inhrelid = format('%I', c.table_name)::regclass)
              order by c.table_name
    loop
        execute format('update %I x set account_id = m.survivor_id from account_merge m'
                       ' where x.account_id = m.duplicate_id', t);
    end loop;

    update account a set parent_id = m.survivor_id
      from account_merge m
     where a.parent_id = m.duplicate_id and a.id <> m.survivor_id;

    delete from account a using account_merge m where a.id = m.duplicate_id;

    raise notice 'Merged % duplicate account(s) created by parallel upserts into the accounts they duplicated; see table account_merge',
        merged;
end
$$;
