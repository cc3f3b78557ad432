import type { HttpFunctionOptions, HttpMethod } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/register.js';
import { compileRoute, type RouteTemplate } from './route-template.js';

type HttpDefinition = Extract<FunctionDefinition, { trigger: 'http' }>;

/** An HTTP function as the host serves it: its template, methods and auth level. */
export interface HttpRoute {
  definition: HttpDefinition;
  template: RouteTemplate;
  methods: ReadonlySet<string>;
  authLevel: 'anonymous' | 'function' | 'admin';
}

/** The route that serves a request, with its route values. */
export interface RouteMatch {
  route: HttpRoute;
  params: Record<string, string>;
}

/** The HTTP functions, ordered so the most specific template is tried first. */
export class HttpRouteTable {
  readonly #routes: HttpRoute[];

  constructor(definitions: readonly FunctionDefinition[], routePrefix: string) {
    this.#routes = definitions
      .filter((definition): definition is HttpDefinition => definition.trigger === 'http')
      .map((definition) => toRoute(definition, routePrefix))
      .sort((a, b) => comparePrecedence(a.template.precedence, b.template.precedence));
  }

  get routes(): readonly HttpRoute[] {
    return this.#routes;
  }

  /** The first route whose template and methods fit; undefined means 404, as in Azure. */
  find(method: string, path: string): RouteMatch | undefined {
    const upper = method.toUpperCase();
    for (const route of this.#routes) {
      if (!route.methods.has(upper)) continue;
      const params = route.template.match(path);
      if (params !== undefined) return { route, params };
    }
    return undefined;
  }
}

function toRoute(definition: HttpDefinition, routePrefix: string): HttpRoute {
  const options: HttpFunctionOptions = definition.options;
  const route = options.trigger?.route ?? options.route ?? definition.name;
  const methods: HttpMethod[] = options.trigger?.methods ?? options.methods ?? ['GET', 'POST'];
  const template = [routePrefix, route.replace(/^\/+/, '')].filter((part) => part !== '');
  return {
    definition,
    template: compileRoute(template.join('/')),
    methods: new Set(methods.map((method) => method.toUpperCase())),
    authLevel: options.trigger?.authLevel ?? options.authLevel ?? 'anonymous',
  };
}

function comparePrecedence(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
