export { ensureLocalCertificate, localCertificatePaths } from './local-certificate.js';
export type { LocalCertificate } from './local-certificate.js';
export { projectRoot } from './project-root.js';
