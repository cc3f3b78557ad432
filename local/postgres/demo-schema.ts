/**
 * The demo schema served by the embedded database: a small shop (customers, orders, order
 * lines), an event log with its archive for the shipped jobs, and an orders archive.
 */
export const DEMO_SCHEMA_SQL = `
create table customers (
  id integer generated always as identity primary key,
  name text not null,
  email text not null unique,
  country text not null,
  created_at timestamptz not null default now()
);

create table orders (
  id integer generated always as identity primary key,
  customer_id integer not null references customers (id),
  status text not null default 'new'
    check (status in ('new', 'paid', 'shipped', 'delivered', 'cancelled')),
  total numeric(12, 2) not null default 0,
  ordered_at timestamptz not null default now(),
  delivered_at timestamptz null
);
create index orders_customer_id on orders (customer_id);
create index orders_status on orders (status);

create table order_lines (
  order_id integer not null references orders (id) on delete cascade,
  line_no integer not null,
  product text not null,
  quantity integer not null check (quantity > 0),
  unit_price numeric(12, 2) not null check (unit_price >= 0),
  primary key (order_id, line_no)
);

create table events (
  id bigint generated always as identity primary key,
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  occurred_at timestamptz not null default now()
);
create index events_occurred_at on events (occurred_at);

-- Same columns as events, for the shipped archive job; ids are copied over, not generated.
create table events_archive (
  id bigint primary key,
  kind text not null,
  payload jsonb not null,
  occurred_at timestamptz not null
);
create index events_archive_occurred_at on events_archive (occurred_at);

-- Same columns as orders; the archive job copies ids over, so they are not generated here.
create table orders_archive (
  id integer primary key,
  customer_id integer not null,
  status text not null,
  total numeric(12, 2) not null,
  ordered_at timestamptz not null,
  delivered_at timestamptz null
);
`;

/** The tables the demo schema creates, in the order their rows are loaded. */
export const DEMO_TABLES = [
  'customers',
  'orders',
  'order_lines',
  'events',
  'events_archive',
  'orders_archive',
] as const;
