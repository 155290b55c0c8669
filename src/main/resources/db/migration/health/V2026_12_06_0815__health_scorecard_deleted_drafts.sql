-- A draft nobody wants can be deleted. Its row stays, marked deleted, so that its number is never given to another
-- text: a backtest may have named the version.
alter table scorecard_version drop constraint scorecard_version_status_check;
alter table scorecard_version
    add constraint scorecard_version_status_check check (status in ('draft', 'published', 'superseded', 'deleted'));
alter table scorecard_version drop constraint scorecard_version_check;
alter table scorecard_version
    add constraint scorecard_version_check check ((status in ('draft', 'deleted')) = (published_at is null));
