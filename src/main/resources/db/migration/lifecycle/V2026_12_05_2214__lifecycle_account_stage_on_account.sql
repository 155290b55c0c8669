-- Records on each account the stage it is in now, as the stage facts say, for accounts placed before the account
-- carried its stage (see customer V2026_12_05_2213); from now on every write of a stay records it too.
update account a
   set journey_stage = s.stage, journey_stage_name = s.stage_name
  from account_stage s
 where s.account_id = a.id and s.left_at is null;
