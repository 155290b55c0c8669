-- A bulk request may create a contract and its renewal together. When another request stored that contract first,
-- the insert leaves it out and the renewal names the contract this request meant to create: the write is then undone
-- and done again (see BulkUpserts), which it can only be if the link is checked when the transaction commits rather
-- than at once, when it failed the whole request.
alter table contract alter constraint contract_previous_contract_id_fkey deferrable initially deferred;
