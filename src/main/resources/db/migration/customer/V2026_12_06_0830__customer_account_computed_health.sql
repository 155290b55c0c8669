-- Beside the health that counts (an override's where one applies), each account keeps the health its scorecard
-- computed and whether an override is in force, so that the accounts list marks overridden scores and can filter by
-- either color. Until the next scoring an account is taken as not overridden: its computed health is the one shown.
alter table account
    add column health_computed_score real check (health_computed_score between 0 and 100),
    add column health_computed_color text check (health_computed_color in ('green', 'yellow', 'red', 'black')),
    add column health_overridden boolean not null default false;
update account set health_computed_score = health_score, health_computed_color = health_color
 where health_color is not null;
create index account_health_computed_color on account (health_computed_color, id);
