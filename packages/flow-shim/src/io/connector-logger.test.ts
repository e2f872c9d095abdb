import { ConnectorLogger, parseLogLevel } from './connector-logger';

describe('ConnectorLogger', () => {
  const originalLevel = process.env.LOG_LEVEL;
  afterEach(() => {
    if (originalLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = originalLevel;
  });

  it('reads LOG_LEVEL and writes JSON lines with ts, level, msg and fields', () => {
    process.env.LOG_LEVEL = 'WARNING';
    const lines: string[] = [];
    const logger = new ConnectorLogger({ write: (line) => lines.push(line), now: () => 0 });
    logger.info('hidden');
    logger.warn('shown', { binding: 2 });
    logger.status('Capture started.');
    expect(lines).toEqual([
      '{"ts":"1970-01-01T00:00:00.000Z","level":"warn","msg":"shown","fields":{"binding":2}}\n',
    ]);
  });

  it('maps level names the way the runtime reads them', () => {
    expect(parseLogLevel('CRITICAL')).toBe('error');
    expect(parseLogLevel('fatal')).toBe('error');
    expect(parseLogLevel('Warning')).toBe('warn');
    expect(parseLogLevel('trace')).toBe('trace');
    expect(parseLogLevel('verbose')).toBeUndefined();
  });

  it('marks status lines as connectorStatus events', () => {
    const lines: string[] = [];
    new ConnectorLogger({ level: 'info', write: (line) => lines.push(line) }).status('Backfilling.');
    expect(JSON.parse(lines[0] as string).fields).toEqual({ eventType: 'connectorStatus' });
  });
});
