-- What made a version when a person's edit did not, e.g. {"kind": "backtest", "id": "…", "label": "Logins only",
-- "link": "/backtests/…"} for a draft saved from a backtest's suggested weights; null for versions people saved.
alter table scorecard_version add column origin jsonb;
