-- API keys scoped by area (accounts, activity, usage, configuration; each read or write), with an expiry and
-- rotation. A key made before areas existed keeps what its scope allowed, in every area, and no expiry.
alter table api_key add column areas jsonb;
update api_key set areas = case scope
    when 'read' then '{"accounts": "read", "activity": "read", "usage": "read", "configuration": "read"}'::jsonb
    else '{"accounts": "write", "activity": "write", "usage": "write", "configuration": "write"}'::jsonb end;
alter table api_key alter column areas set not null;
alter table api_key drop column scope;
alter table api_key add column expires_at timestamptz;
alter table api_key add column replaced_by uuid references api_key (id);
