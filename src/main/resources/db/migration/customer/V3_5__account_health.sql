-- Each account's current health as the health module last computed it (score 0–100, color, change over 30 days),
-- kept on the account so that the accounts list can sort and filter by it. The health module owns the history.
alter table account
    add column health_score real check (health_score between 0 and 100),
    add column health_color text check (health_color in ('green', 'yellow', 'red', 'black')),
    add column health_trend real;
create index account_health on account (health_score, id);
create index account_health_color on account (health_color, health_score, id);
