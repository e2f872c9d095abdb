import { type PluginIo, parseToolConfigXml, type ToolConfigElement } from '@sdk/transport-grpc';
import { InputToolError } from './errors/input-tool-error';

/** What the input tool reads from its `<Configuration>` XML. */
export interface InputToolConfig {
  /** The source's config (`<Config>` JSON), with `<Secret>` values decrypted into it. */
  readonly config: Record<string, unknown>;
  /** Streams to read (`<Streams>`, comma-separated). Undefined: every stream that has an anchor. */
  readonly streams: readonly string[] | undefined;
  /** Per-stream states as the Airbyte platform passes them (`<State>` JSON array). Undefined: none. */
  readonly state: unknown[] | undefined;
  /** Whether the configuration has a `<State>` element, so the run writes the new state back into it. */
  readonly keepsState: boolean;
  /** The parsed document, to write the new state into. */
  readonly document: ToolConfigElement;
}

/**
 * Reads the input tool's configuration XML:
 *
 * ```xml
 * <Configuration>
 *   <Config>{"base_url": "https://api.example.com", "page_size": 100}</Config>
 *   <Secret field="client_secret">…encrypted by the engine…</Secret>
 *   <Streams>customers,orders</Streams>
 *   <State>[]</State>
 * </Configuration>
 * ```
 *
 * `<Config>` (required) is the source's config as JSON. Each `<Secret field="a.b">` holds a value the
 * engine encrypted; it is decrypted through the engine (`io.decryptPassword`, as AMP passwords are) and set
 * at that dotted path. `<Streams>` selects streams; `<State>` carries per-stream states between runs.
 *
 * @throws InputToolError `INPUT_TOOL_CONFIG` for malformed XML or JSON, unknown elements, or a secret
 * path that crosses a non-object; the message never quotes the configuration's text.
 */
export async function readInputToolConfig(
  xml: string,
  io: Pick<PluginIo, 'decryptPassword'>,
): Promise<InputToolConfig> {
  let document: ToolConfigElement;
  try {
    document = parseToolConfigXml(xml);
  } catch (error) {
    throw new InputToolError('INPUT_TOOL_CONFIG', (error as Error).message.replace(/^\[[A-Z_]+\] /, ''), {
      cause: error,
    });
  }
  if (document.name !== 'Configuration') {
    throw new InputToolError(
      'INPUT_TOOL_CONFIG',
      `the root element must be <Configuration>, not <${document.name}>`,
    );
  }
  const known = new Set(['Config', 'Secret', 'Streams', 'State']);
  for (const child of document.children) {
    if (!known.has(child.name)) {
      throw new InputToolError(
        'INPUT_TOOL_CONFIG',
        `unknown element <${child.name}>; expected <Config>, <Secret>, <Streams> or <State>`,
      );
    }
  }
  const single = (name: string): ToolConfigElement | undefined => {
    const found = document.children.filter((child) => child.name === name);
    if (found.length > 1)
      throw new InputToolError('INPUT_TOOL_CONFIG', `<${name}> appears ${found.length} times`);
    return found[0];
  };
  const configElement = single('Config');
  if (configElement === undefined)
    throw new InputToolError('INPUT_TOOL_CONFIG', 'the configuration has no <Config> element');
  const config = parseJson(configElement.text, '<Config>');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new InputToolError('INPUT_TOOL_CONFIG', '<Config> must hold a JSON object');
  }
  for (const secret of document.children.filter((child) => child.name === 'Secret')) {
    const field = secret.attributes.field;
    if (field === undefined || field === '')
      throw new InputToolError('INPUT_TOOL_CONFIG', '<Secret> needs a field="…" attribute');
    setPath(config as Record<string, unknown>, field, await io.decryptPassword(secret.text.trim()));
  }
  const streamsText = single('Streams')?.text.trim();
  const streams =
    streamsText === undefined || streamsText === ''
      ? undefined
      : streamsText
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
  const stateElement = single('State');
  const stateText = stateElement?.text.trim();
  const state = stateText === undefined || stateText === '' ? undefined : parseJson(stateText, '<State>');
  if (state !== undefined && !Array.isArray(state)) {
    throw new InputToolError('INPUT_TOOL_CONFIG', '<State> must hold a JSON array of per-stream states');
  }
  return {
    config: config as Record<string, unknown>,
    streams,
    state,
    keepsState: stateElement !== undefined,
    document,
  };
}

/** The configuration XML with `<State>` replaced by `state` (JSON), everything else as it was. */
export function withState(document: ToolConfigElement, state: readonly unknown[]): string {
  const children = document.children.filter((child) => child.name !== 'State');
  children.push({ name: 'State', attributes: {}, children: [], text: JSON.stringify(state) });
  return serialize({ ...document, children });
}

function serialize(element: ToolConfigElement): string {
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value).replace(/"/g, '&quot;')}"`)
    .join('');
  const inner = `${escapeXml(element.text)}${element.children.map(serialize).join('')}`;
  return inner === ''
    ? `<${element.name}${attributes}/>`
    : `<${element.name}${attributes}>${inner}</${element.name}>`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Say where, never what: the text may hold a secret.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new InputToolError(
      'INPUT_TOOL_CONFIG',
      `${where} is not valid JSON${position === undefined ? '' : ` (at character ${position})`}`,
    );
  }
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      Object.defineProperty(node, part, {
        value: created,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      node = created;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      throw new InputToolError(
        'INPUT_TOOL_CONFIG',
        `<Secret field="${path}">: "${part}" is not an object in <Config>`,
      );
    }
  }
  Object.defineProperty(node, parts[parts.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
