import { seededRandom, type SeededRandom } from './seeded-random.js';

/** How many rows of each kind the demo holds; a few thousand in all. */
export const DEMO_COUNTS = { customers: 1200, orders: 3000, events: 4000 } as const;

const DAY_MS = 86_400_000;
// Word lists as one string each, so the formatter keeps them short.
const FIRST_NAMES = words(
  'Ada Bruno Chiara Dmitri Elif Farah Gustav Hana Ivo Jonas Keiko Lars Maya Nils Olga Pablo',
  'Quinn Rosa Sven Tariq Ulla Vera Wim Ximena Yusuf Zofia',
);
const LAST_NAMES = words(
  "Andersen Bauer Costa Dubois Eriksen Fischer García Horvat Ito Jansen Kowalski O'Brien",
  'Lindqvist Moreau Novak Petrov Rossi Schmidt Tanaka Varga Weber Yilmaz',
);
const COUNTRIES = words('DE FR NL SE PL IT ES GB US JP TR HR');
const PRODUCTS: readonly (readonly [string, number])[] = [
  ['Notebook A5', 4.5],
  ['Fountain pen', 39],
  ['Desk lamp', 54.9],
  ['USB-C cable', 9.99],
  ['Monitor stand', 72],
  ['Coffee beans 1kg', 18.4],
  ['Headphones', 129],
  ['Backpack', 89.5],
  ['Water bottle', 24],
  ['Keyboard', 109],
  ['Mouse pad', 12.5],
  ['Plant pot', 15.75],
];
const EVENT_KINDS = ['login', 'page_view', 'order_placed', 'payment', 'shipment', 'error'];

export interface DemoCustomer {
  name: string;
  email: string;
  country: string;
  createdAt: Date;
}
export interface DemoOrder {
  customerId: number;
  status: string;
  total: string;
  orderedAt: Date;
  deliveredAt: Date | null;
}
export interface DemoOrderLine {
  orderId: number;
  lineNo: number;
  product: string;
  quantity: number;
  unitPrice: string;
}
export interface DemoEvent {
  kind: string;
  payload: string;
  occurredAt: Date;
}

export interface DemoData {
  customers: DemoCustomer[];
  orders: DemoOrder[];
  orderLines: DemoOrderLine[];
  events: DemoEvent[];
}

/**
 * Generates the demo rows. The same seed gives the same rows; times are offsets back from
 * `anchor` (by default the start of today, UTC), so events always span the last 400 days.
 */
export function generateDemoData(seed = 20_240_601, anchor = startOfUtcDay(new Date())): DemoData {
  const random = seededRandom(seed);
  const customers = makeCustomers(random, anchor);
  const { orders, orderLines } = makeOrders(random, anchor, customers.length);
  const events = makeEvents(random, anchor, customers.length);
  return { customers, orders, orderLines, events };
}

function makeCustomers(random: SeededRandom, anchor: Date): DemoCustomer[] {
  const customers: DemoCustomer[] = [];
  for (let i = 1; i <= DEMO_COUNTS.customers; i++) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    customers.push({
      name: `${first} ${last}`,
      email: `${local}.${i}@example.com`,
      country: random.pick(COUNTRIES),
      createdAt: daysBefore(anchor, random.int(400, 900), random),
    });
  }
  return customers;
}

function makeOrders(random: SeededRandom, anchor: Date, customerCount: number) {
  const orders: DemoOrder[] = [];
  const orderLines: DemoOrderLine[] = [];
  for (let orderId = 1; orderId <= DEMO_COUNTS.orders; orderId++) {
    const ageDays = random.int(0, 399);
    const lines = makeLines(random, orderId);
    const cents = lines.reduce(
      (sum, l) => sum + l.quantity * Math.round(Number(l.unitPrice) * 100),
      0,
    );
    const status = statusForAge(random, ageDays);
    const orderedAt = daysBefore(anchor, ageDays, random);
    const deliveredAt =
      status === 'delivered' ? new Date(orderedAt.getTime() + random.int(1, 9) * DAY_MS) : null;
    orders.push({
      customerId: random.int(1, customerCount),
      status,
      total: (cents / 100).toFixed(2),
      orderedAt,
      deliveredAt,
    });
    orderLines.push(...lines);
  }
  return { orders, orderLines };
}

function makeLines(random: SeededRandom, orderId: number): DemoOrderLine[] {
  const count = random.int(1, 4);
  const lines: DemoOrderLine[] = [];
  for (let lineNo = 1; lineNo <= count; lineNo++) {
    const [product, price] = random.pick(PRODUCTS);
    lines.push({
      orderId,
      lineNo,
      product,
      quantity: random.int(1, 5),
      unitPrice: price.toFixed(2),
    });
  }
  return lines;
}

// Recent orders are still moving; old ones have mostly arrived.
function statusForAge(random: SeededRandom, ageDays: number): string {
  if (random.next() < 0.05) return 'cancelled';
  if (ageDays < 3) return random.pick(['new', 'paid']);
  if (ageDays < 10) return random.pick(['paid', 'shipped', 'delivered']);
  return 'delivered';
}

function makeEvents(random: SeededRandom, anchor: Date, customerCount: number): DemoEvent[] {
  const events: DemoEvent[] = [];
  for (let i = 0; i < DEMO_COUNTS.events; i++) {
    const kind = random.pick(EVENT_KINDS);
    const payload = {
      customerId: random.int(1, customerCount),
      source: random.pick(['web', 'app']),
    };
    events.push({
      kind,
      payload: JSON.stringify(payload),
      occurredAt: daysBefore(anchor, random.int(0, 399), random),
    });
  }
  return events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
}

function daysBefore(anchor: Date, days: number, random: SeededRandom): Date {
  const withinDay = random.int(0, DAY_MS - 1);
  return new Date(anchor.getTime() - days * DAY_MS + withinDay - DAY_MS);
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function words(...lines: string[]): string[] {
  return lines.join(' ').split(' ');
}
