import type { Client } from '@temporalio/client';
import type { MongoClient } from 'mongodb';
import type { Database } from '../db/client.js';
import type { Principal } from './auth/principal.js';
import type { WidgetPrincipal } from './auth/tokens.js';
import type { ApiConfig } from './config.js';
import type { LiveHub } from './live/live-hub.js';
import type { SignalPump } from './services/signal-pump.js';

/** Services handlers reach through Hono's typed context. */
export interface ApiDeps {
  config: ApiConfig;
  db: Database;
  temporal: Client;
  mongo: MongoClient;
  live: LiveHub;
  signals: SignalPump;
  taskQueue: string;
}

export interface AppEnv {
  Variables: {
    deps: ApiDeps;
    requestId: string;
    principal: Principal;
    /** Set on widget routes instead of `principal`: a website visitor, not a user. */
    visitor: WidgetPrincipal;
  };
}
