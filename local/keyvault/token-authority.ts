import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-io.js';
import { EntraError, sendEntraError } from './entra-error.js';
import type { Registry } from './registry.js';
import { VAULT_RESOURCE, type TokenKeys } from './token-keys.js';
import type { RequestKind } from './types.js';

/** What the authority needs to answer. */
export interface TokenAuthorityOptions {
  /** e.g. `https://127.0.0.1:51235`, without a tenant. */
  authorityHost: string;
  tenantId: string;
  registry: Registry;
  keys: TokenKeys;
  tokenLifetimeSeconds: number;
}

/**
 * The parts of Entra ID that MSAL uses for a client-credentials grant with instance discovery
 * off: the OpenID configuration, the token endpoint and the signing keys (JWKS).
 */
export class TokenAuthority {
  constructor(private readonly options: TokenAuthorityOptions) {}

  /** The issuer written into tokens and the OpenID configuration. */
  static issuerFor(authorityHost: string, tenantId: string): string {
    return `${authorityHost}/${tenantId}/v2.0`;
  }

  /** Which kind of request this is, for counting; undefined when it is not the authority's. */
  kindOf(method: string, segments: string[]): RequestKind | undefined {
    const path = segments.slice(1).join('/');
    if (method === 'GET' && path === 'v2.0/.well-known/openid-configuration') {
      return 'openidConfiguration';
    }
    if (method === 'POST' && path === 'oauth2/v2.0/token') return 'token';
    if (method === 'GET' && path === 'discovery/v2.0/keys') return 'keys';
    return undefined;
  }

  /** Answers one authority request of the given kind. */
  async serve(
    kind: RequestKind,
    tenant: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    try {
      this.checkTenant(tenant);
      if (kind === 'openidConfiguration') sendJson(response, 200, this.configuration());
      else if (kind === 'keys') sendJson(response, 200, { keys: [this.options.keys.jwk] });
      else sendJson(response, 200, await this.token(new URLSearchParams(await readBody(request))));
    } catch (error) {
      if (!(error instanceof EntraError)) throw error;
      sendEntraError(response, error);
    }
  }

  private checkTenant(tenant: string): void {
    if (tenant.toLowerCase() !== this.options.tenantId.toLowerCase()) {
      throw new EntraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
  }

  private configuration(): Record<string, unknown> {
    const base = `${this.options.authorityHost}/${this.options.tenantId}`;
    return {
      issuer: TokenAuthority.issuerFor(this.options.authorityHost, this.options.tenantId),
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      grant_types_supported: ['client_credentials'],
      tenant_region_scope: null,
    };
  }

  private async token(form: URLSearchParams): Promise<Record<string, unknown>> {
    const clientId = this.authenticate(form);
    checkScope(form.get('scope'));
    const lifetime = this.options.tokenLifetimeSeconds;
    return {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: await this.options.keys.issue(clientId, lifetime),
    };
  }

  private authenticate(form: URLSearchParams): string {
    if (form.get('grant_type') !== 'client_credentials') {
      throw new EntraError(
        400,
        'unsupported_grant_type',
        70003,
        'Only the client_credentials grant is supported.',
      );
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId === '') {
      throw new EntraError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the 'client_id' parameter.",
      );
    }
    const check = this.options.registry.check(clientId, form.get('client_secret') ?? '');
    if (check === 'unknown-client') throw unknownClient(clientId, this.options.tenantId);
    if (check === 'wrong-secret') throw wrongSecret(clientId);
    return clientId;
  }
}

function checkScope(scope: string | null): void {
  const resources = (scope ?? '')
    .split(' ')
    .filter((entry) => entry.endsWith('/.default'))
    .map((entry) => entry.slice(0, -'/.default'.length).replace(/\/+$/, ''));
  if (resources.length !== 1 || resources[0] !== VAULT_RESOURCE) {
    throw new EntraError(
      400,
      'invalid_resource',
      500011,
      `Tokens are issued only for ${VAULT_RESOURCE}; ask for ${VAULT_RESOURCE}/.default.`,
    );
  }
}

function unknownClient(clientId: string, tenantId: string): EntraError {
  return new EntraError(
    400,
    'unauthorized_client',
    700016,
    `No application with identifier '${clientId}' is registered in the directory '${tenantId}'. ` +
      'Check the client id, or register the application with the emulator.',
  );
}

function wrongSecret(clientId: string): EntraError {
  return new EntraError(
    401,
    'invalid_client',
    7000215,
    `The client secret sent for app '${clientId}' is not valid. ` +
      'Send the secret value itself, not its id.',
  );
}
