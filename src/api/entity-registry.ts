import { ConfigurationError, VaultgateError } from '../errors.js';
import type { Action, EntityConfig, VaultgateConfig } from './config.js';

/**
 * Route names the app serves itself. The Functions host and the offline host both try these
 * literal routes before `{entity}`, so an entity of that name could never be reached.
 * (`openapi.json` cannot be an entity name: the configuration refuses the dot.)
 */
export const RESERVED_ENTITY_NAMES: readonly string[] = ['health', 'maintenance', 'openapi'];

/** A configured entity with the name it is reached by. */
export interface EntityDefinition extends EntityConfig {
  name: string;
}

/** The configured entities; only these exist, everything else is a 404. */
export class EntityRegistry {
  readonly #entities = new Map<string, EntityDefinition>();

  constructor(config: VaultgateConfig, file = 'vaultgate.json') {
    for (const [name, entity] of Object.entries(config.entities)) {
      if (RESERVED_ENTITY_NAMES.includes(name.toLowerCase())) {
        throw new ConfigurationError(
          `${file} is not valid: entities.${name}: '${name}' is a route of the app itself; ` +
            'give the entity another name.',
        );
      }
      this.#entities.set(name, { ...entity, name });
    }
  }

  /** Every entity, in configuration order. */
  all(): EntityDefinition[] {
    return [...this.#entities.values()];
  }

  /** The entity of that name, or a 404 EntityNotFound. */
  get(name: string): EntityDefinition {
    const entity = this.#entities.get(name);
    if (entity !== undefined) return entity;
    throw new VaultgateError(
      404,
      'EntityNotFound',
      `there is no entity named '${safeName(name)}'`,
      {
        target: 'entity',
      },
    );
  }
}

/** Whether the entity's configuration allows the action. */
export function allows(entity: EntityDefinition, action: Action): boolean {
  return entity.actions.includes(action);
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]/g, '?').slice(0, 64);
}
