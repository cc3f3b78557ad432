import type { PGlite, Transaction } from '@electric-sql/pglite';
import { generateDemoData, type DemoData } from './demo-data.js';
import { DEMO_SCHEMA_SQL } from './demo-schema.js';

/** Whether the demo schema is already there (a later start on the same data directory). */
export async function hasDemoSchema(db: PGlite): Promise<boolean> {
  const result = await db.query<{ found: string | null }>(
    `select to_regclass('public.customers')::text as found`,
  );
  return result.rows[0]?.found != null;
}

/**
 * Creates the demo schema and loads its rows in one transaction, so a start that dies half
 * way leaves no half-built schema behind and the next start simply tries again.
 */
export async function loadDemoSchema(db: PGlite, data: DemoData = generateDemoData()) {
  await db.transaction(async (tx) => {
    await tx.exec(DEMO_SCHEMA_SQL);
    await insertCustomers(tx, data);
    await insertOrders(tx, data);
    await insertOrderLines(tx, data);
    await insertEvents(tx, data);
  });
}

// Each table goes in with one statement: the columns travel as arrays and unnest() zips them.
async function insertCustomers(tx: Transaction, { customers }: DemoData) {
  await tx.query(
    `insert into customers (name, email, country, created_at)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])`,
    [
      customers.map((c) => c.name),
      customers.map((c) => c.email),
      customers.map((c) => c.country),
      customers.map((c) => c.createdAt.toISOString()),
    ],
  );
}

async function insertOrders(tx: Transaction, { orders }: DemoData) {
  await tx.query(
    `insert into orders (customer_id, status, total, ordered_at, delivered_at)
     select * from unnest($1::int[], $2::text[], $3::numeric[], $4::timestamptz[],
       $5::timestamptz[])`,
    [
      orders.map((o) => o.customerId),
      orders.map((o) => o.status),
      orders.map((o) => o.total),
      orders.map((o) => o.orderedAt.toISOString()),
      orders.map((o) => o.deliveredAt?.toISOString() ?? null),
    ],
  );
}

async function insertOrderLines(tx: Transaction, { orderLines }: DemoData) {
  await tx.query(
    `insert into order_lines (order_id, line_no, product, quantity, unit_price)
     select * from unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::numeric[])`,
    [
      orderLines.map((l) => l.orderId),
      orderLines.map((l) => l.lineNo),
      orderLines.map((l) => l.product),
      orderLines.map((l) => l.quantity),
      orderLines.map((l) => l.unitPrice),
    ],
  );
}

async function insertEvents(tx: Transaction, { events }: DemoData) {
  await tx.query(
    `insert into events (kind, payload, occurred_at)
     select * from unnest($1::text[], $2::jsonb[], $3::timestamptz[])`,
    [
      events.map((e) => e.kind),
      events.map((e) => e.payload),
      events.map((e) => e.occurredAt.toISOString()),
    ],
  );
}
