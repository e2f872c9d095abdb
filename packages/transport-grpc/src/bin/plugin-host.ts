#!/usr/bin/env node
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TransportError } from '../errors/transport-error';
import type { SdkPluginClass } from '../sdk-plugin';
import { servePluginProcess } from '../serve-plugin-process';

/** Picks the plugin class out of a module: the named export, else `default`, else the only class. */
function pickPluginClass(loaded: Record<string, unknown>, exportName: string | undefined): SdkPluginClass {
  const candidates =
    exportName !== undefined ? [loaded[exportName]] : [loaded.default, ...Object.values(loaded)];
  for (const candidate of candidates) {
    if (typeof candidate === 'function') return candidate as SdkPluginClass;
    // CommonJS `module.exports = Class` seen through import(): the class is `default`.
    if (typeof candidate === 'object' && candidate !== null && exportName === undefined) {
      const nested = (candidate as Record<string, unknown>).default;
      if (typeof nested === 'function') return nested as SdkPluginClass;
    }
  }
  throw new TransportError(
    'TRANSPORT_CONFIG',
    exportName !== undefined
      ? `export '${exportName}' is not a plugin class`
      : 'the module exports no plugin class',
  );
}

async function main(argv: readonly string[]): Promise<void> {
  // AMP launch shape: start-sdk-tool-service <pkg> <tool> [...]: <pkg> is the module, <tool> the export.
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (!arg.includes('=')) index += 1; // --flag value
  }
  const args = positional[0] === 'start-sdk-tool-service' ? positional.slice(1) : positional;
  const [modulePath, exportName] = args;
  if (modulePath === undefined) {
    throw new TransportError('TRANSPORT_CONFIG', 'usage: sdk-plugin-host <plugin-module> [export-name]');
  }
  await servePluginProcess(pickPluginClass(await loadModule(resolve(modulePath)), exportName));
}

/** CommonJS (and whatever a registered loader handles) through require; ES modules through import(). */
async function loadModule(absolutePath: string): Promise<Record<string, unknown>> {
  if (!absolutePath.endsWith('.mjs')) {
    try {
      const loaded: unknown = require(absolutePath);
      return typeof loaded === 'function' ? { default: loaded } : (loaded as Record<string, unknown>);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw error;
    }
  }
  return (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
