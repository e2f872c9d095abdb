import { parseToolConfigXml, type ToolConfigElement } from '@sdk/transport-grpc';
import { DuckDbSyncError } from '../errors/duckdb-sync-error';

/** A tool configuration XML read for a sync: the document, and the values to mask. */
export interface ToolConfig {
  readonly document: ToolConfigElement;
  /** The text of every `<Secret>` element (what the engine would decrypt), to mask in every line. */
  readonly secrets: readonly string[];
}

/** Parses a tool configuration XML; `SYNC_CONFIG` (naming line and column, never the text) when it is not XML. */
export function readToolConfig(xml: string, where: string): ToolConfig {
  let document: ToolConfigElement;
  try {
    document = parseToolConfigXml(xml);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^\[[A-Z_]+\] /, '') : String(error);
    throw new DuckDbSyncError('SYNC_CONFIG', `${where} is not a tool configuration: ${reason}`, {
      cause: error,
    });
  }
  const secrets: string[] = [];
  const collect = (element: ToolConfigElement) => {
    if (element.name === 'Secret' && element.text.trim() !== '') secrets.push(element.text.trim());
    for (const child of element.children) collect(child);
  };
  collect(document);
  return { document, secrets };
}

/** The text of the root's `<State>` element, or undefined without one. */
export function stateOfToolConfig(document: ToolConfigElement): string | undefined {
  return document.children.find((child) => child.name === 'State')?.text.trim();
}

/**
 * The configuration as XML with its `<State>` element set to `state` (JSON text), every other element
 * as it was. `state` undefined keeps the document's own `<State>`, or adds `<State>[]</State>` (the
 * empty state of `@sdk/amp-input-tool`, which then keeps a state at all) when it has none.
 */
export function toolConfigWithState(document: ToolConfigElement, state: string | undefined): string {
  const own = stateOfToolConfig(document);
  const text = state ?? own ?? '[]';
  const children = document.children.filter((child) => child.name !== 'State');
  children.push({ name: 'State', attributes: {}, children: [], text });
  return serialize({ ...document, children });
}

function serialize(element: ToolConfigElement): string {
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${escapeText(value).replaceAll('"', '&quot;')}"`)
    .join('');
  const inner = `${escapeText(element.text)}${element.children.map(serialize).join('')}`;
  return inner === ''
    ? `<${element.name}${attributes}/>`
    : `<${element.name}${attributes}>${inner}</${element.name}>`;
}

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
