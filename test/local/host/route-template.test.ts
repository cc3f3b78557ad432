import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../../src/errors.js';
import { compileRoute } from '../../../local/host/route-template.js';

describe('compileRoute', () => {
  it('matches literals without regard to case and decodes values', () => {
    const route = compileRoute('api/items/{entity}');
    expect(route.match('/API/Items/red%20cars')).toEqual({ entity: 'red cars' });
    expect(route.match('/api/items')).toBeUndefined();
    expect(route.match('/api/items/a/b')).toBeUndefined();
  });

  it('leaves an optional parameter out when the segment is missing', () => {
    const route = compileRoute('api/{entity}/{key?}');
    expect(route.match('/api/orders')).toEqual({ entity: 'orders' });
    expect(route.match('/api/orders/')).toEqual({ entity: 'orders' });
    expect(route.match('/api/orders/42')).toEqual({ entity: 'orders', key: '42' });
  });

  it('fills a default value when the segment is missing', () => {
    expect(compileRoute('api/{page=1}').match('/api')).toEqual({ page: '1' });
  });

  it('applies typed constraints, several on one parameter', () => {
    const route = compileRoute('api/orders/{id:int:min(1)}');
    expect(route.match('/api/orders/7')).toEqual({ id: '7' });
    expect(route.match('/api/orders/0')).toBeUndefined();
    expect(route.match('/api/orders/seven')).toBeUndefined();
    expect(route.match('/api/orders/99999999999')).toBeUndefined();
    expect(compileRoute('{g:guid}').match('/0f8fad5b-d9cb-469f-a165-70867728950e')).toBeDefined();
    expect(compileRoute('{b:bool}').match('/TRUE')).toEqual({ b: 'TRUE' });
    expect(compileRoute('{a:alpha:length(2,3)}').match('/abcd')).toBeUndefined();
    expect(compileRoute('{r:regex(^a.c$)}').match('/abc')).toEqual({ r: 'abc' });
  });

  it('gives the catch-all everything after its position, slashes included', () => {
    const route = compileRoute('api/files/{*rest}');
    expect(route.match('/api/files/a/b/c.txt')).toEqual({ rest: 'a/b/c.txt' });
    expect(route.match('/api/files')).toEqual({});
  });

  it('matches parameters mixed with literals in one segment', () => {
    expect(compileRoute('api/{name}.{ext}').match('/api/report.csv')).toEqual({
      name: 'report',
      ext: 'csv',
    });
  });

  it('ranks literal before constrained before plain before catch-all segments', () => {
    const ranks = ['a/b', 'a/{id:int}', 'a/{id}', 'a/{*rest}'].map(
      (text) => compileRoute(text).precedence[1],
    );
    expect(ranks).toEqual([1, 3, 4, 6]);
  });

  it('refuses an unknown constraint with the route named', () => {
    expect(() => compileRoute('api/{id:wobbly}')).toThrow(ConfigurationError);
    expect(() => compileRoute('api/{id:wobbly}')).toThrow(/api\/\{id:wobbly\}/);
  });
});
