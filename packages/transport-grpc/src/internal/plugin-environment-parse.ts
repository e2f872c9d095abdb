import { TransportError } from '../errors/transport-error.js';
import type { PluginEnvironment, UpdateMode } from '../plugin-environment.js';

/** Engine constants the AMP SDK refuses to run without. */
export const requiredEngineConstants = [
  'Engine.Version',
  'AlteryxExecutable',
  'Engine.WorkflowDirectory',
  'Engine.TempFilePath',
] as const;

function parseProxyConfiguration(text: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (text === undefined) return result;
  for (const line of text.split(/\r?\n/)) {
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    result[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return result;
}

/** Builds the frozen environment; a missing required constant is a `TRANSPORT_PROTOCOL` error. */
export function parsePluginEnvironment(
  engineConstants: Readonly<Record<string, string>>,
  updateMode: UpdateMode,
): PluginEnvironment {
  const missing = requiredEngineConstants.filter((key) => engineConstants[key] === undefined);
  if (missing.length > 0) {
    throw new TransportError('TRANSPORT_PROTOCOL', `engine constants missing: ${missing.join(', ')}`);
  }
  const toolId = Number.parseInt(engineConstants.ToolId ?? '0', 10);
  return Object.freeze({
    updateMode,
    updateOnly: updateMode !== 'run',
    designerVersion: engineConstants['Engine.Version'] ?? '',
    alteryxInstallDir: engineConstants.AlteryxExecutable ?? '',
    workflowDir: engineConstants['Engine.WorkflowDirectory'] ?? '',
    tempDir: engineConstants['Engine.TempFilePath'] ?? '',
    toolId: Number.isFinite(toolId) ? toolId : 0,
    workflowRunGuid: engineConstants.WorkflowRunGuid ?? '',
    proxyConfiguration: Object.freeze(parseProxyConfiguration(engineConstants.ProxyConfiguration)),
    alteryxLocale: engineConstants['Engine.Locale'] ?? 'en',
    engineConstants: Object.freeze({ ...engineConstants }),
  });
}
