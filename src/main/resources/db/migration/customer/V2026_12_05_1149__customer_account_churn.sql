-- A former customer is not "at risk": the health module records on the account that it had churned (since when and
-- why) instead of a health score and color, so that lists show it apart and leave it out of health filters. Both are
-- null while the account is a customer or before it is first scored.
alter table account
    add column churned_on   date,
    add column churn_reason text,
    add check (churned_on is null or churn_reason is not null),
    add check (churn_reason is null or health_color is null);
create index account_churned on account (churned_on, id) where churn_reason is not null;
