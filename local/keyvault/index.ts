export { DEFAULT_TENANT_ID, startKeyVaultEmulator } from './emulator.js';
export type { KeyVaultEmulator } from './emulator.js';
export { ADMIN_KEY_HEADER } from './admin-handler.js';
export { REQUEST_KINDS } from './types.js';
export type {
  FaultControls,
  FaultPlan,
  FaultState,
  FaultStatus,
  FaultTarget,
  KeyVaultEmulatorOptions,
  Registration,
  RequestKind,
  SecretPermission,
} from './types.js';
