import { pageOf } from './paging.js';
import { SecretJson } from './secret-json.js';
import { parseSetSecret, parseUpdateSecret } from './secret-request.js';
import type { SecretStore } from './secret-store.js';
import type { RequestKind, SecretPermission } from './types.js';
import { VaultApiError } from './vault-error.js';

/** What a vault operation is given. */
export interface VaultCall {
  query: URLSearchParams;
  body: unknown;
}

/** What a vault operation answers. */
export interface VaultAnswer {
  status: number;
  body?: unknown;
}

/** A matched operation: how it is counted, the permission it needs, and the work. */
export interface VaultRoute {
  kind: RequestKind;
  permission: SecretPermission;
  run(call: VaultCall): VaultAnswer;
}

/** The secrets API as the Key Vault SDK calls it, over one store. */
export class VaultRoutes {
  private readonly json: SecretJson;

  constructor(
    private readonly store: SecretStore,
    private readonly vaultUrl: string,
  ) {
    this.json = new SecretJson(vaultUrl);
  }

  /** The route for a method and path, or undefined when Key Vault has no such operation. */
  match(method: string, segments: string[]): VaultRoute | undefined {
    const [collection, name, third, extra] = segments;
    if (extra !== undefined) return undefined;
    if (collection === 'secrets') return this.secretRoute(method, name, third);
    if (collection === 'deletedsecrets') return this.deletedRoute(method, name, third);
    return undefined;
  }

  private secretRoute(method: string, name?: string, third?: string): VaultRoute | undefined {
    if (name === undefined || name === '') {
      return method === 'GET' ? this.route('listSecrets', 'list', this.listSecrets) : undefined;
    }
    if (third === 'versions' && method === 'GET') {
      return this.route('listVersions', 'list', (call) => this.listVersions(name, call));
    }
    const version = third ?? '';
    if (method === 'GET')
      return this.route('getSecret', 'get', () => this.getSecret(name, version));
    if (method === 'PATCH') {
      return this.route('updateSecret', 'set', (call) => this.updateSecret(name, version, call));
    }
    if (third !== undefined) return undefined;
    if (method === 'PUT')
      return this.route('setSecret', 'set', (call) => this.setSecret(name, call));
    if (method === 'DELETE')
      return this.route('deleteSecret', 'delete', () => this.deleteSecret(name));
    return undefined;
  }

  private deletedRoute(method: string, name?: string, third?: string): VaultRoute | undefined {
    if (name === undefined || name === '') {
      if (method !== 'GET') return undefined;
      return this.route('listDeletedSecrets', 'list', this.listDeleted);
    }
    if (third === 'recover' && method === 'POST') {
      return this.route('recoverDeletedSecret', 'recover', () => this.recover(name));
    }
    if (third !== undefined) return undefined;
    if (method === 'GET') return this.route('getDeletedSecret', 'get', () => this.getDeleted(name));
    if (method === 'DELETE')
      return this.route('purgeDeletedSecret', 'purge', () => this.purge(name));
    return undefined;
  }

  private route(
    kind: RequestKind,
    permission: SecretPermission,
    run: (call: VaultCall) => VaultAnswer,
  ): VaultRoute {
    return { kind, permission, run: run.bind(this) };
  }

  private listSecrets(call: VaultCall): VaultAnswer {
    const items = this.store
      .list()
      .map(({ name, version }) => this.json.item(name, version, false));
    return ok(pageOf(items, call.query, `${this.vaultUrl}/secrets`));
  }

  private listVersions(name: string, call: VaultCall): VaultAnswer {
    const found = this.store.versions(name);
    const items = found.versions.map((version) => this.json.item(found.name, version, true));
    return ok(pageOf(items, call.query, `${this.vaultUrl}/secrets/${found.name}/versions`));
  }

  private getSecret(name: string, version: string): VaultAnswer {
    const found = this.store.get(name, version);
    // Key Vault refuses a disabled version's value but, as it does, still serves an expired
    // or not-yet-valid one: exp and nbf on secrets are for the caller to honour.
    if (!found.version.enabled) throw secretDisabled();
    return ok(this.json.bundle(found.name, found.version));
  }

  private setSecret(name: string, call: VaultCall): VaultAnswer {
    const request = parseSetSecret(call.body);
    const version = this.store.set(name, request.value, request.attributes);
    return ok(this.json.bundle(this.store.get(name).name, version));
  }

  private updateSecret(name: string, version: string, call: VaultCall): VaultAnswer {
    const patch = parseUpdateSecret(call.body);
    const updated = this.store.update(name, version, patch);
    return ok(withoutValue(this.json.bundle(this.store.get(name).name, updated)));
  }

  private deleteSecret(name: string): VaultAnswer {
    return ok(withoutValue(this.json.deletedBundle(this.store.delete(name))));
  }

  private getDeleted(name: string): VaultAnswer {
    return ok(withoutValue(this.json.deletedBundle(this.store.getDeleted(name))));
  }

  private listDeleted(call: VaultCall): VaultAnswer {
    const items = this.store.listDeleted().map((record) => this.json.deletedItem(record));
    return ok(pageOf(items, call.query, `${this.vaultUrl}/deletedsecrets`));
  }

  private purge(name: string): VaultAnswer {
    this.store.purge(name);
    return { status: 204 };
  }

  private recover(name: string): VaultAnswer {
    const found = this.store.get(this.store.recover(name).name);
    return ok(withoutValue(this.json.bundle(found.name, found.version)));
  }
}

function ok(body: unknown): VaultAnswer {
  return { status: 200, body };
}

function withoutValue<T extends { value?: string }>(bundle: T): Omit<T, 'value'> {
  const rest: T = { ...bundle };
  delete rest.value;
  return rest;
}

function secretDisabled(): VaultApiError {
  return new VaultApiError(
    403,
    'Forbidden',
    'The secret is disabled, so its value cannot be read; enable it first.',
    'SecretDisabled',
  );
}
