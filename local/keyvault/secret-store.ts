import { randomBytes } from 'node:crypto';
import type {
  SecretAttributesPatch,
  SecretRecord,
  SecretVersionRecord,
  VaultData,
} from './secret-record.js';
import { VaultApiError, badParameter, secretNotFound } from './vault-error.js';

/** Soft-delete retention, as a vault created with the portal's defaults has it. */
export const RECOVERABLE_DAYS = 90;
const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_VALUE_BYTES = 25 * 1024;

/**
 * The vault's secrets: versions, attributes and soft-deleted secrets. Names compare without
 * regard to case, as Key Vault's do. Every change is handed to `persist`.
 */
export class SecretStore {
  private readonly live = new Map<string, SecretRecord>();
  private readonly deleted = new Map<string, SecretRecord>();

  constructor(
    private readonly nowSeconds: () => number,
    private readonly persist: (data: VaultData) => void = () => undefined,
    data?: VaultData,
  ) {
    for (const record of data?.secrets ?? []) {
      (record.deleted ? this.deleted : this.live).set(keyOf(record.name), record);
    }
  }

  /** Adds a new version (creating the secret if needed) and returns it. */
  set(name: string, value: string, attributes: SecretAttributesPatch = {}): SecretVersionRecord {
    checkName(name);
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw badParameter(`The value of secret ${name} is over the 25 KB limit.`);
    }
    if (this.deleted.has(keyOf(name))) throw deletedConflict(name);

    const now = this.nowSeconds();
    const version: SecretVersionRecord = {
      version: randomBytes(16).toString('hex'),
      value,
      enabled: attributes.enabled ?? true,
      created: now,
      updated: now,
      ...withoutUndefined(attributes),
    };
    const record = this.live.get(keyOf(name)) ?? { name, versions: [] };
    record.versions.push(version);
    this.live.set(keyOf(name), record);
    this.save();
    return version;
  }

  /** The secret's name as first written, and the version asked for (latest when empty). */
  get(name: string, version = ''): { name: string; version: SecretVersionRecord } {
    const record = this.liveRecord(name);
    const found = version === '' ? record.versions.at(-1) : findVersion(record, version);
    if (found === undefined) throw secretNotFound(name, version);
    return { name: record.name, version: found };
  }

  /** Changes attributes of one version (latest when empty); the value never changes. */
  update(name: string, version: string, patch: SecretAttributesPatch): SecretVersionRecord {
    const found = this.get(name, version).version;
    Object.assign(found, withoutUndefined(patch), { updated: this.nowSeconds() });
    this.save();
    return found;
  }

  /** Live secrets with their latest version, in name order. */
  list(): { name: string; version: SecretVersionRecord }[] {
    return sortByName([...this.live.values()]).flatMap((record) => {
      const latest = record.versions.at(-1);
      return latest ? [{ name: record.name, version: latest }] : [];
    });
  }

  /** Every version of one live secret, oldest first. */
  versions(name: string): { name: string; versions: SecretVersionRecord[] } {
    const record = this.liveRecord(name);
    return { name: record.name, versions: [...record.versions] };
  }

  /** Soft-deletes the secret (all versions) and returns the deleted record. */
  delete(name: string): SecretRecord {
    const record = this.liveRecord(name);
    const deletedDate = this.nowSeconds();
    record.deleted = { deletedDate, scheduledPurgeDate: deletedDate + RECOVERABLE_DAYS * 86400 };
    this.live.delete(keyOf(name));
    this.deleted.set(keyOf(name), record);
    this.save();
    return record;
  }

  /** A soft-deleted secret. */
  getDeleted(name: string): SecretRecord {
    const record = this.deleted.get(keyOf(name));
    if (record === undefined) throw deletedNotFound(name);
    return record;
  }

  /** Soft-deleted secrets, in name order. */
  listDeleted(): SecretRecord[] {
    return sortByName([...this.deleted.values()]);
  }

  /** Removes a soft-deleted secret for good. */
  purge(name: string): void {
    this.getDeleted(name);
    this.deleted.delete(keyOf(name));
    this.save();
  }

  /** Brings a soft-deleted secret back with all its versions. */
  recover(name: string): SecretRecord {
    const record = this.getDeleted(name);
    delete record.deleted;
    this.deleted.delete(keyOf(name));
    this.live.set(keyOf(name), record);
    this.save();
    return record;
  }

  /** Everything the vault holds, for persistence. */
  snapshot(): VaultData {
    return { secrets: [...this.live.values(), ...this.deleted.values()] };
  }

  private liveRecord(name: string): SecretRecord {
    const record = this.live.get(keyOf(name));
    if (record === undefined) throw secretNotFound(name);
    return record;
  }

  private save(): void {
    this.persist(this.snapshot());
  }
}

function keyOf(name: string): string {
  return name.toLowerCase();
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw badParameter(
      `The secret name '${name}' is invalid: use 1 to 127 letters, digits and dashes.`,
    );
  }
}

function findVersion(record: SecretRecord, version: string): SecretVersionRecord | undefined {
  return record.versions.find((candidate) => candidate.version === version.toLowerCase());
}

function sortByName(records: SecretRecord[]): SecretRecord[] {
  return records.sort((a, b) => keyOf(a.name).localeCompare(keyOf(b.name)));
}

function withoutUndefined(patch: SecretAttributesPatch): SecretAttributesPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

function deletedConflict(name: string): VaultApiError {
  return new VaultApiError(
    409,
    'Conflict',
    `Secret ${name} is deleted but recoverable, so its name cannot be reused; ` +
      'recover or purge it first.',
    'ObjectIsDeletedButRecoverable',
  );
}

function deletedNotFound(name: string): VaultApiError {
  return new VaultApiError(404, 'SecretNotFound', `Deleted Secret not found: ${name}.`);
}
