import { readToolConfig, stateOfToolConfig, toolConfigWithState } from './tool-config-state';

describe('tool configuration state', () => {
  const xml =
    '<Configuration><Config>{"a":"x &lt; y"}</Config><Secret field="token">s3cr&amp;t</Secret><Streams>a,b</Streams></Configuration>';

  it('collects the secrets and adds an empty <State> on a first sync, keeping the rest', () => {
    const { document, secrets } = readToolConfig(xml, 'tool.xml');
    expect(secrets).toEqual(['s3cr&t']);
    const sent = toolConfigWithState(document, undefined);
    expect(sent).toBe(
      '<Configuration><Config>{"a":"x &lt; y"}</Config><Secret field="token">s3cr&amp;t</Secret><Streams>a,b</Streams><State>[]</State></Configuration>',
    );
    expect(readToolConfig(sent, 'sent').document).toEqual({
      ...document,
      children: [...document.children, { name: 'State', attributes: {}, children: [], text: '[]' }],
    });
  });

  it('replaces the document own <State> with the stored one, and reads it back', () => {
    const { document } = readToolConfig(
      xml.replace('</Configuration>', '<State>[1]</State></Configuration>'),
      'x',
    );
    expect(stateOfToolConfig(document)).toBe('[1]');
    const sent = toolConfigWithState(document, '[{"b":"<&>"}]');
    expect(stateOfToolConfig(readToolConfig(sent, 'sent').document)).toBe('[{"b":"<&>"}]');
    expect(sent.match(/<State>/g)).toHaveLength(1);
    expect(stateOfToolConfig(readToolConfig(toolConfigWithState(document, undefined), 'own').document)).toBe(
      '[1]',
    );
  });

  it('refuses text that is not XML with SYNC_CONFIG, without quoting it', () => {
    expect(() => readToolConfig('<Configuration><Secret>hunter2</Configuration>', 'tool.xml')).toThrow(
      expect.objectContaining({ code: 'SYNC_CONFIG', message: expect.not.stringContaining('hunter2') }),
    );
  });
});
