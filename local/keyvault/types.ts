/** The secret operations an access policy can grant, as Key Vault names them. */
export type SecretPermission = 'get' | 'list' | 'set' | 'delete' | 'recover' | 'purge';

/** An application registered with the token authority, with its vault access policy. */
export interface Registration {
  clientId: string;
  clientSecret: string;
  permissions: SecretPermission[];
}

/** How to start the emulator. Everything is optional. */
export interface KeyVaultEmulatorOptions {
  /** The only address servers are bound to. */
  host?: '127.0.0.1';
  /** The vault's port; 0 (the default) lets the system choose. */
  port?: number;
  /** The authority's port; 0 (the default) lets the system choose. */
  authorityPort?: number;
  /** The directory (tenant) id in tokens and in the challenge; defaults to DEFAULT_TENANT_ID. */
  tenantId?: string;
  registrations?: Registration[];
  /** Secrets to have from the start; a name whose latest value differs gets a new version. */
  secrets?: Record<string, string>;
  /** When given, secrets persist in this JSON file across restarts; otherwise in memory. */
  dataFile?: string;
  /** The emulator's clock in milliseconds (tests move it to expire tokens). */
  now?: () => number;
  /** Lifetime of issued access tokens; Entra's usual is between 60 and 90 minutes. */
  tokenLifetimeSeconds?: number;
}

/** Which server a fault applies to. */
export type FaultTarget = 'vault' | 'authority';

/** A status that a failing request answers with. */
export type FaultStatus = 429 | 500 | 503;

/** Faults to inject into one server's answers. Fields left out keep their current setting. */
export interface FaultPlan {
  /** Added before every answer, in milliseconds. */
  latencyMs?: number;
  /** The next `count` requests fail with `status` (and Retry-After, for 429 and 503). */
  failNext?: { count: number; status: FaultStatus; retryAfterSeconds?: number };
  /** While true the server does not listen: clients see ECONNREFUSED. */
  refuseConnections?: boolean;
}

/** The faults in effect on one server. */
export interface FaultState {
  latencyMs: number;
  failNext: { count: number; status: FaultStatus; retryAfterSeconds: number } | undefined;
  refuseConnections: boolean;
}

/** Faults for the vault (default) or the authority. */
export interface FaultControls {
  /** Merges the plan into the target's faults; resolves once refusing has begun or ended. */
  set(plan: FaultPlan, target?: FaultTarget): Promise<FaultState>;
  /** Removes every fault of the target; a refusing server listens again on its port. */
  clear(target?: FaultTarget): Promise<void>;
  /** The target's faults in effect. */
  state(target?: FaultTarget): FaultState;
}

/** Kinds of request, counted separately; `challenge` is a vault request without a token. */
export const REQUEST_KINDS = [
  'challenge',
  'getSecret',
  'setSecret',
  'updateSecret',
  'deleteSecret',
  'listSecrets',
  'listVersions',
  'getDeletedSecret',
  'listDeletedSecrets',
  'purgeDeletedSecret',
  'recoverDeletedSecret',
  'openidConfiguration',
  'token',
  'keys',
  'unknown',
] as const;

/** One of REQUEST_KINDS. */
export type RequestKind = (typeof REQUEST_KINDS)[number];
