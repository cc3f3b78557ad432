import { RECOVERABLE_DAYS } from './secret-store.js';
import type { SecretRecord, SecretVersionRecord } from './secret-record.js';

/** Key Vault's `attributes` object; times are Unix seconds. */
export interface SecretAttributesJson {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

/** A list entry: no value. */
export interface SecretItemJson {
  id: string;
  attributes: SecretAttributesJson;
  contentType?: string;
  tags?: Record<string, string>;
}

/** A full secret, with its value. */
export interface SecretBundleJson extends SecretItemJson {
  value: string;
}

/** Shapes the vault's records the way Key Vault writes them on the wire. */
export class SecretJson {
  constructor(private readonly vaultUrl: string) {}

  /** The secret with its value; `id` names the version. */
  bundle(name: string, version: SecretVersionRecord): SecretBundleJson {
    return { value: version.value, ...this.item(name, version, true) };
  }

  /** A list entry; `id` names the version only when listing versions. */
  item(name: string, version: SecretVersionRecord, withVersion: boolean): SecretItemJson {
    const id = withVersion ? this.secretId(name, version.version) : this.secretId(name);
    const item: SecretItemJson = { id, attributes: attributesOf(version) };
    if (version.contentType !== undefined) item.contentType = version.contentType;
    if (version.tags !== undefined) item.tags = version.tags;
    return item;
  }

  /** A deleted secret: its latest version plus where and when it can be recovered. */
  deletedBundle(record: SecretRecord): SecretBundleJson & DeletionJson {
    return { ...this.bundle(record.name, latestOf(record)), ...this.deletion(record) };
  }

  /** A deleted secret in a list: no value. */
  deletedItem(record: SecretRecord): SecretItemJson & DeletionJson {
    return { ...this.item(record.name, latestOf(record), false), ...this.deletion(record) };
  }

  private deletion(record: SecretRecord): DeletionJson {
    return {
      recoveryId: `${this.vaultUrl}/deletedsecrets/${record.name}`,
      deletedDate: record.deleted?.deletedDate ?? 0,
      scheduledPurgeDate: record.deleted?.scheduledPurgeDate ?? 0,
    };
  }

  private secretId(name: string, version?: string): string {
    const base = `${this.vaultUrl}/secrets/${name}`;
    return version === undefined ? base : `${base}/${version}`;
  }
}

interface DeletionJson {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

function latestOf(record: SecretRecord): SecretVersionRecord {
  const latest = record.versions.at(-1);
  if (latest === undefined) throw new Error(`Secret ${record.name} has no version.`);
  return latest;
}

function attributesOf(version: SecretVersionRecord): SecretAttributesJson {
  const attributes: SecretAttributesJson = {
    enabled: version.enabled,
    created: version.created,
    updated: version.updated,
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: RECOVERABLE_DAYS,
  };
  if (version.nbf !== undefined) attributes.nbf = version.nbf;
  if (version.exp !== undefined) attributes.exp = version.exp;
  return attributes;
}
