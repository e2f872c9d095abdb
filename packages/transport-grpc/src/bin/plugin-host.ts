#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isModuleNamespaceObject } from 'node:util/types';
import { TransportError } from '../errors/transport-error.js';
import type { SdkPluginClass } from '../sdk-plugin.js';
import { servePluginProcess } from '../serve-plugin-process.js';

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

type ServePluginProcess = typeof servePluginProcess;

const USAGE = `usage: sdk-plugin-host <plugin-module> [export-name]
       sdk-plugin-host start-sdk-tool-service <plugin-module> <export-name> [engine options...]
       sdk-plugin-host --help | --version

Serves the plugin class of <plugin-module> (the named export, else the default one, else the only
class) as an engine launches it: prints "ListenPort: <port>" and serves until SIGTERM. The engine's
own options (--name value) are accepted and ignored.`;

/** A command line that cannot run: one stderr line and exit code 2, as every @sdk bin does. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<void> {
  // Engines launch this with options of their own (the AMP launch shape), so unknown options cannot
  // be refused here, unlike in the other bins; only a lone --help or --version is ours.
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === '--version')) {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${argv[0] === '--version' ? manifest.version : USAGE}\n`);
    return;
  }
  // AMP launch shape: start-sdk-tool-service <pkg> <tool> [...]: <pkg> is the module, <tool> the export.
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (!arg.includes('=')) index += 1; // --flag value
  }
  const args = positional[0] === 'start-sdk-tool-service' ? positional.slice(1) : positional;
  const [modulePath, exportName] = args;
  if (modulePath === undefined) throw new UsageError('the plugin module is missing');
  const plugin = await loadModule(resolve(modulePath));
  const serve = plugin.isEsModule ? await esModuleBuildServe() : servePluginProcess;
  await serve(pickPluginClass(plugin.exports, exportName));
}

/**
 * CommonJS (and whatever a registered loader handles) through require; ES modules through require(esm)
 * or, for `.mjs` and modules require cannot load (top-level await), through import().
 */
async function loadModule(
  absolutePath: string,
): Promise<{ exports: Record<string, unknown>; isEsModule: boolean }> {
  if (!absolutePath.endsWith('.mjs')) {
    try {
      const loaded: unknown = require(absolutePath);
      if (isModuleNamespaceObject(loaded))
        return { exports: loaded as Record<string, unknown>, isEsModule: true };
      return {
        exports: typeof loaded === 'function' ? { default: loaded } : (loaded as Record<string, unknown>),
        isEsModule: false,
      };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    }
  }
  const loaded = (await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>;
  return { exports: loaded, isEsModule: true };
}

/**
 * An ES module plugin gets apache-arrow's ES module build, whose Tables only this package's ES module
 * build (dist/esm, beside this bin's dist/bin) accepts and produces; so it is served by that build.
 * Run from the TypeScript sources (tests) there is no ES module build, and the sources serve it.
 */
async function esModuleBuildServe(): Promise<ServePluginProcess> {
  if (__filename.endsWith('.ts')) return servePluginProcess;
  const esModuleBuild = pathToFileURL(join(__dirname, '..', 'esm', 'serve-plugin-process.js')).href;
  const loaded = (await import(esModuleBuild)) as { servePluginProcess: ServePluginProcess };
  return loaded.servePluginProcess;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`sdk-plugin-host: ${error.message}; see 'sdk-plugin-host --help'\n`);
    process.exit(2);
  }
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
