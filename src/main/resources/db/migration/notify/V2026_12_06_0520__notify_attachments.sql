-- Files sent with an email of the outbox (a report's PDF and CSVs), stored with the delivery in the transaction that
-- queued it, so that every attempt (and a retry on another instance) sends the same bytes. Removed with the delivery.
create table notify_attachment (
    delivery_id  uuid    not null references notify_delivery (id) on delete cascade,
    position     integer not null,
    file_name    text    not null,
    content_type text    not null,
    content      bytea   not null,
    primary key (delivery_id, position)
);
