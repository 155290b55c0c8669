-- Backtests now run as jobs (a row in scheduled_tasks) that any instance can take over. A run that an earlier release
-- left waiting or running has no job and would never finish: it fails with the reason, as that release did at start.
update backtest_run
   set status = 'failed',
       error  = 'Steward was upgraded before the backtest finished; start it again'
 where status in ('queued', 'running');
