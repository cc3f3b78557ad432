import type { SecretAttributesPatch } from './secret-record.js';
import { badParameter } from './vault-error.js';

/** The body of a set-secret request, checked. */
export interface SetSecretRequest {
  value: string;
  attributes: SecretAttributesPatch;
}

/** Reads a set-secret body: `{value, contentType?, tags?, attributes?: {enabled, nbf, exp}}`. */
export function parseSetSecret(body: unknown): SetSecretRequest {
  const object = asObject(body);
  if (typeof object.value !== 'string') {
    throw badParameter('Property value is required and must be a string.');
  }
  return { value: object.value, attributes: parseAttributes(object) };
}

/** Reads an update-secret body: `{contentType?, tags?, attributes?}`; the value cannot change. */
export function parseUpdateSecret(body: unknown): SecretAttributesPatch {
  const object = asObject(body);
  if (object.value !== undefined) throw badParameter('The value of a secret cannot be updated.');
  return parseAttributes(object);
}

function parseAttributes(object: Record<string, unknown>): SecretAttributesPatch {
  const attributes = object.attributes === undefined ? {} : asObject(object.attributes);
  return {
    contentType: optional(object.contentType, 'string', 'contentType'),
    tags: parseTags(object.tags),
    enabled: optional(attributes.enabled, 'boolean', 'attributes.enabled'),
    nbf: optionalTime(attributes.nbf, 'attributes.nbf'),
    exp: optionalTime(attributes.exp, 'attributes.exp'),
  };
}

function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badParameter('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function optional<T>(value: unknown, type: 'string' | 'boolean', name: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw badParameter(`Property ${name} must be a ${type}.`);
  return value as T;
}

function optionalTime(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value)) throw badParameter(`Property ${name} must be Unix seconds.`);
  return value as number;
}

function parseTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const tags = asObject(value);
  if (!Object.values(tags).every((tag) => typeof tag === 'string')) {
    throw badParameter('Property tags must map names to strings.');
  }
  return tags as Record<string, string>;
}
