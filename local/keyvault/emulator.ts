import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ensureLocalCertificate } from '../tls/index.js';
import { createAdminHandler, type AdminControls } from './admin-handler.js';
import { createAuthorityHandler } from './authority-handler.js';
import { loadVaultData, saveVaultData } from './data-file.js';
import { FaultInjector } from './fault-injector.js';
import { HttpsEndpoint, type TlsMaterial } from './https-endpoint.js';
import { Registry } from './registry.js';
import { RequestCounter } from './request-counter.js';
import { SecretStore } from './secret-store.js';
import { TokenAuthority } from './token-authority.js';
import { TokenKeys } from './token-keys.js';
import type {
  FaultControls,
  FaultTarget,
  KeyVaultEmulatorOptions,
  Registration,
  RequestKind,
  SecretPermission,
} from './types.js';
import { createVaultHandler } from './vault-handler.js';
import { VaultRoutes } from './vault-routes.js';

/** The tenant used when none is given; fixed, so settings written once survive restarts. */
export const DEFAULT_TENANT_ID = '3f6a1c2e-9b7d-4e5a-8c1f-2d4b6e8a0c13';
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
const HOST = '127.0.0.1';

/** A running emulator: a vault and its token authority, each on its own HTTPS port. */
export interface KeyVaultEmulator {
  /** e.g. `https://127.0.0.1:51234`; the SecretClient's vault URL. */
  readonly vaultUrl: string;
  /** e.g. `https://127.0.0.1:51235`; the credential's `authorityHost`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** The vault's port. */
  readonly port: number;
  readonly authorityPort: number;
  /** The CA file that clients must trust through NODE_EXTRA_CA_CERTS. */
  readonly caPath: string;
  /** Where admin calls go (the authority's origin, up even while vault faults refuse). */
  readonly adminUrl: string;
  /** The value for the `x-emulator-admin-key` header of admin calls. */
  readonly adminKey: string;
  /** Requests received per kind since start or the last reset. */
  readonly requestCount: Record<RequestKind, number>;
  readonly faults: FaultControls;
  /** Adds a version of a secret, bypassing access policies; returns the new version id. */
  setSecret(name: string, value: string): string;
  /** Replaces a client's permissions; with a secret, registers an unknown client. */
  setPermissions(clientId: string, permissions: SecretPermission[], clientSecret?: string): boolean;
  resetRequestCount(): void;
  /** Closes both servers and every connection; the ports are free when this resolves. */
  stop(): Promise<void>;
}

/**
 * Starts an emulator of Azure Key Vault's secrets API and of the Entra ID token endpoint in
 * front of it, which the unmodified SecretClient and ClientSecretCredential talk to with only
 * `{authorityHost, disableInstanceDiscovery: true}` and `{disableChallengeResourceVerification:
 * true}` set. Clients must trust `caPath` through NODE_EXTRA_CA_CERTS, set at process start.
 */
export async function startKeyVaultEmulator(
  options: KeyVaultEmulatorOptions = {},
): Promise<KeyVaultEmulator> {
  const certificate = await ensureLocalCertificate();
  const tls: TlsMaterial = {
    cert: await readFile(certificate.certPath, 'utf8'),
    key: await readFile(certificate.keyPath, 'utf8'),
  };
  const emulator = new RunningEmulator(options, tls, certificate.caPath);
  await emulator.start(options.port ?? 0, options.authorityPort ?? 0);
  return emulator;
}

class RunningEmulator implements KeyVaultEmulator, AdminControls {
  readonly tenantId: string;
  readonly adminKey = randomBytes(24).toString('base64url');
  private readonly vault: HttpsEndpoint;
  private readonly authorityEndpoint: HttpsEndpoint;
  private readonly registry: Registry;
  private readonly counter = new RequestCounter();
  private readonly injectors: Record<FaultTarget, FaultInjector>;
  private readonly store: SecretStore;
  private readonly now: () => number;
  // Handlers need the bound ports (for URLs in answers), so they are set after listening.
  private vaultHandler: Handler = unavailable;
  private authorityHandler: Handler = unavailable;

  constructor(
    private readonly options: KeyVaultEmulatorOptions,
    tls: TlsMaterial,
    readonly caPath: string,
  ) {
    this.tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
    this.now = options.now ?? Date.now;
    this.registry = new Registry(options.registrations);
    this.store = createStore(options, this.now);
    this.vault = new HttpsEndpoint(tls, (q, s) => this.vaultHandler(q, s), HOST);
    this.authorityEndpoint = new HttpsEndpoint(tls, (q, s) => this.authorityHandler(q, s), HOST);
    this.injectors = {
      vault: new FaultInjector(this.vault),
      authority: new FaultInjector(this.authorityEndpoint),
    };
  }

  get vaultUrl(): string {
    return this.vault.origin;
  }

  get authorityHost(): string {
    return this.authorityEndpoint.origin;
  }

  get port(): number {
    return this.vault.port;
  }

  get authorityPort(): number {
    return this.authorityEndpoint.port;
  }

  get adminUrl(): string {
    return this.authorityEndpoint.origin;
  }

  get requestCount(): Record<RequestKind, number> {
    return this.counter.snapshot();
  }

  readonly faults: FaultControls = {
    set: (plan, target = 'vault') => this.injectors[target].set(plan),
    clear: (target = 'vault') => this.injectors[target].clear(),
    state: (target = 'vault') => this.injectors[target].state,
  };

  async start(vaultPort: number, authorityPort: number): Promise<void> {
    await this.vault.listen(vaultPort);
    await this.authorityEndpoint.listen(authorityPort);
    const issuer = TokenAuthority.issuerFor(this.authorityHost, this.tenantId);
    const keys = await TokenKeys.create(issuer, this.tenantId, this.now);
    const admin = createAdminHandler(this.adminKey, this);
    this.vaultHandler = this.createVaultHandler(keys, admin);
    this.authorityHandler = this.createAuthorityHandler(keys, admin);
    this.seed(this.options.secrets ?? {});
  }

  setSecret(name: string, value: string): string {
    return this.store.set(name, value).version;
  }

  setPermissions(
    clientId: string,
    permissions: SecretPermission[],
    clientSecret?: string,
  ): boolean {
    if (clientSecret === undefined) return this.registry.setPermissions(clientId, permissions);
    const registration: Registration = { clientId, clientSecret, permissions };
    this.registry.register(registration);
    return true;
  }

  resetRequestCount(): void {
    this.counter.reset();
  }

  async stop(): Promise<void> {
    await Promise.all([this.vault.stop(), this.authorityEndpoint.stop()]);
  }

  private createVaultHandler(keys: TokenKeys, admin: Handler): Handler {
    return createVaultHandler({
      routes: new VaultRoutes(this.store, this.vaultUrl),
      keys,
      registry: this.registry,
      faults: this.injectors.vault,
      counter: this.counter,
      admin,
      authority: `${this.authorityHost}/${this.tenantId}`,
      vaultName: this.vaultUrl.replace('https://', ''),
    });
  }

  private createAuthorityHandler(keys: TokenKeys, admin: Handler): Handler {
    const authority = new TokenAuthority({
      authorityHost: this.authorityHost,
      tenantId: this.tenantId,
      registry: this.registry,
      keys,
      tokenLifetimeSeconds: this.options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    });
    return createAuthorityHandler({
      authority,
      faults: this.injectors.authority,
      counter: this.counter,
      admin,
    });
  }

  /** Seeds secrets; one whose latest value is already the same keeps its version. */
  private seed(secrets: Record<string, string>): void {
    for (const [name, value] of Object.entries(secrets)) {
      if (this.latestValue(name) !== value) this.store.set(name, value);
    }
  }

  private latestValue(name: string): string | undefined {
    try {
      return this.store.get(name).version.value;
    } catch {
      return undefined;
    }
  }
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

async function unavailable(_request: IncomingMessage, response: ServerResponse): Promise<void> {
  response.writeHead(503, { 'retry-after': '1' }).end();
}

function createStore(options: KeyVaultEmulatorOptions, now: () => number): SecretStore {
  const nowSeconds = (): number => Math.floor(now() / 1000);
  const dataFile = options.dataFile;
  if (dataFile === undefined) return new SecretStore(nowSeconds);
  return new SecretStore(
    nowSeconds,
    (data) => saveVaultData(dataFile, data),
    loadVaultData(dataFile),
  );
}
