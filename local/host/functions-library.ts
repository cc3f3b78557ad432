import functionsLibrary from '@azure/functions';

/**
 * The runtime parts of @azure/functions the host builds handler arguments with.
 * NOTE: the package is a webpack CommonJS bundle, so Node's ESM loader finds only some of its
 * exports by name (`app`, `trigger`, `output`), not the classes; importing them by name works
 * under vitest and fails under `node`. Taking them from the default export works in both.
 * Ends when the package ships ESM or named exports Node can detect.
 */
export const { HttpRequest, HttpResponse, InvocationContext, trigger, output } = functionsLibrary;
