/** One version of a secret as the vault keeps it. Times are Unix seconds. */
export interface SecretVersionRecord {
  /** 32 lowercase hex digits. */
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}

/** A secret: its versions, oldest first, and when deleted, the deletion's times. */
export interface SecretRecord {
  name: string;
  versions: SecretVersionRecord[];
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

/** The attributes a caller may set or change on a version. */
export interface SecretAttributesPatch {
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  nbf?: number;
  exp?: number;
}

/** The whole content of the vault, as persisted in a data file. */
export interface VaultData {
  secrets: SecretRecord[];
}
