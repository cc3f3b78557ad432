import { VaultgateError } from '../errors.js';
import type { Action, EntityConfig, VaultgateConfig } from './config.js';

/** A configured entity with the name it is reached by. */
export interface EntityDefinition extends EntityConfig {
  name: string;
}

/** The configured entities; only these exist, everything else is a 404. */
export class EntityRegistry {
  readonly #entities = new Map<string, EntityDefinition>();

  constructor(config: VaultgateConfig) {
    for (const [name, entity] of Object.entries(config.entities)) {
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
