import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { PostgresJsSession } from 'drizzle-orm/postgres-js/session';
import * as schema from './schema/index.js';

export type Database = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

// Drizzle names (prepares) a statement only when the caller names it, so PostgreSQL parses every
// query on every call. Named, each connection parses a query once: bench:agent measured a third
// less database time per reply. Each execution is still planned for its own values
// (plan_cache_mode below), unless its transaction asks to reuse plans (withTenant): a plan made
// for any value would scan every contact for a search pattern that an index answers in 5 ms. The
// cache grows with each distinct query text (an IN list of a new length is a new text) until
// postgres.js recycles the connection (max_lifetime).
const prepareQuery = PostgresJsSession.prototype.prepareQuery;
PostgresJsSession.prototype.prepareQuery = function (this: PostgresJsSession<postgres.Sql, never, never>, query, fields, name, ...rest) {
  return prepareQuery.call(this, query, fields, name ?? '', ...rest);
} as typeof prepareQuery;

export function connectDb(url: string, opts: { max?: number } = {}): DbHandle {
  const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connection: { application_name: 'switchboard', plan_cache_mode: 'force_custom_plan' } });
  return { db: drizzle(client, { schema }), sql: client, close: () => client.end({ timeout: 5 }) };
}

export interface TenantTxOptions {
  /**
   * The transaction's statements find rows by key (ids), so one plan serves every value: let
   * PostgreSQL keep a statement's plan once it costs no more than planning each call
   * (`plan_cache_mode = auto`) instead of planning every execution (connectDb). For the reply's
   * path, where planning was most of the database's time (docs/decisions/015).
   */
  reusePlans?: boolean;
}

/**
 * Runs `fn` in a transaction that PostgreSQL row-level security confines to one tenant: the role
 * drops to switchboard_tenant and app.tenant_id comes from the authenticated principal.
 */
export function withTenant<T>(db: Database, tenantId: string, fn: (tx: Tx) => Promise<T>, opts: TenantTxOptions = {}): Promise<T> {
  return db.transaction(async (tx) => {
    // Sent ahead of fn's first statements, in the same write, rather than a round trip before them:
    // postgres.js sends a connection's queries in the order they are issued. Safe without waiting,
    // since the transaction has begun: should the setting fail, every later statement fails with it.
    const scope = opts.reusePlans ? SCOPE_REUSING_PLANS : SCOPE_TO_TENANT;
    const scoped = (tx as unknown as { session: { client: postgres.TransactionSql } }).session.client.unsafe(scope, [tenantId], { prepare: true }).execute();
    const [, result] = await Promise.all([scoped, fn(tx)]);
    return result;
  });
}

const SCOPE_TO_TENANT = "select set_config('role', 'switchboard_tenant', true), set_config('app.tenant_id', $1, true)";
// Transaction-local like the scope: the connection's next transaction plans per call again.
const SCOPE_REUSING_PLANS = `${SCOPE_TO_TENANT}, set_config('plan_cache_mode', 'auto', true)`;
