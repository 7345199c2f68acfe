import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Database } from '../db/client.js';
import type { ChannelSenders } from './channels/channel-sender.js';

/** What activities are built from; the worker passes real clients, tests pass the same ones at test services. */
export interface ActivityDeps {
  db: Database;
  /** Agent configuration lives in MongoDB. */
  mongo: Db;
  channels: ChannelSenders;
  /** The API's public URL, for provider status callbacks. */
  publicUrl: string;
  /** How long a send attempt holds a message (default 30 s): longer than any provider call, so at most one attempt sends. */
  sendLeaseSeconds?: number;
  /** Simulated think time of the local responder, like a typing indicator. */
  aiReplyDelayMs: number;
  /** Unseals tenants' provider credentials (db/credential-crypto.ts). */
  credentialsKey: Buffer;
  /** May tenant-configured URLs (HTTP tools, provider base URLs) reach private networks? */
  allowPrivateNetworks: boolean;
  /** For activities that start or update other workflows (automation runs, automation actions on conversations). */
  temporal?: { client: Client; taskQueue: string };
}
