import { randomUUID } from 'node:crypto';
import {
  SignJWT,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/** The resource (audience) of Key Vault's data plane. */
export const VAULT_RESOURCE = 'https://vault.azure.net';
// Entra and Key Vault tolerate a few minutes of clock difference between machines.
const CLOCK_TOLERANCE_SECONDS = 300;

/** What the vault learns from a valid access token. */
export interface TokenClaims {
  clientId: string;
  tenantId: string;
}

/** Why a token was refused, in a sentence for the 401 body. */
export class TokenRejectedError extends Error {}

/**
 * The authority's RS256 signing key, made fresh at every start, with the issuing and the
 * checking of access tokens: both sides of the trust between the authority and the vault.
 */
export class TokenKeys {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly keyId: string,
    readonly jwk: JWK,
    private readonly issuer: string,
    private readonly tenantId: string,
    private readonly nowMs: () => number,
  ) {}

  /** Generates a key pair for an authority issuing as `issuer` for `tenantId`. */
  static async create(issuer: string, tenantId: string, nowMs: () => number): Promise<TokenKeys> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const keyId = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid: keyId, use: 'sig', alg: 'RS256' };
    return new TokenKeys(privateKey, publicKey, keyId, jwk, issuer, tenantId, nowMs);
  }

  /** An app-only access token for Key Vault, as Entra issues to a client-credentials grant. */
  async issue(clientId: string, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(this.nowMs() / 1000);
    return new SignJWT({ tid: this.tenantId, appid: clientId, azp: clientId, oid: clientId })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.keyId })
      .setIssuer(this.issuer)
      .setAudience(VAULT_RESOURCE)
      .setSubject(clientId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** Checks signature, issuer, audience, lifetime and tenant; throws TokenRejectedError. */
  async verify(token: string): Promise<TokenClaims> {
    const payload = await this.verifiedPayload(token);
    if (payload.tid !== this.tenantId) {
      throw new TokenRejectedError('The access token was issued for another tenant.');
    }
    if (typeof payload.appid !== 'string') {
      throw new TokenRejectedError('The access token names no application (appid).');
    }
    return { clientId: payload.appid, tenantId: this.tenantId };
  }

  private async verifiedPayload(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: VAULT_RESOURCE,
        currentDate: new Date(this.nowMs()),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return payload;
    } catch (error) {
      throw new TokenRejectedError(rejectionReason(error));
    }
  }
}

function rejectionReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return `Invalid audience: the token is not for ${VAULT_RESOURCE}.`;
    if (error.claim === 'iss') return 'Invalid issuer: the token is not from this authority.';
    if (error.claim === 'nbf') return 'The access token is not valid yet.';
    return `The access token's ${error.claim} claim is not acceptable.`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The access token signature is invalid.';
  }
  return 'The access token is malformed.';
}
