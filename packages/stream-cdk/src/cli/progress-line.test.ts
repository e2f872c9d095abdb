import { formatBytes, formatDuration, ProgressLine, type ProgressLineStream } from './progress-line';

function recorder(isTTY: boolean, columns?: number): ProgressLineStream & { text: string } {
  const stream = {
    text: '',
    isTTY,
    columns,
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('ProgressLine', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
  });

  it('on a terminal: redraws one line in place, at most every redrawIntervalMs, and ends it', () => {
    const stream = recorder(true);
    const line = new ProgressLine({ stream, label: 'read', now, color: false });
    for (let step = 1; step <= 10; step += 1) {
      clock = step * 30;
      line.update({ records: step * 100, bytes: step * 2048 });
    }
    line.finish();
    const draws = stream.text.split('\r').filter((part) => part !== '');
    // 10 updates over 300 ms at 100 ms apart: 3 redraws, then the summary.
    expect(draws).toHaveLength(4);
    expect(draws[0]).toBe('read  100 records, 2.0 KiB, 3,333 records/s, 0:00 elapsed\x1b[K');
    expect(draws.at(-1)).toBe('read done  1,000 records, 20.0 KiB, 3,333 records/s, 0:00 elapsed\x1b[K\n');
    expect(stream.text).not.toContain('\x1b[1m');
  });

  it('shows an ETA when the total is known, and colour unless told not to', () => {
    const stream = recorder(true);
    const line = new ProgressLine({ stream, label: 'sync', now, color: true });
    clock = 10_000;
    line.update({ records: 250, total: 1000 });
    expect(stream.text).toContain('250/1,000 records, 25 records/s, 0:10 elapsed, ETA 0:30');
    expect(stream.text).toContain('\x1b[1msync\x1b[22m');
    line.finish();
  });

  it('cuts the live line to the terminal width so that it never wraps', () => {
    const stream = recorder(true, 20);
    const line = new ProgressLine({ stream, label: 'a-long-label', now, color: false });
    line.update({ records: 123_456_789 });
    expect(stream.text).toBe('\ra-long-label  123,…\x1b[K');
    line.finish();
  });

  it('elsewhere: a plain line every lineIntervalMs and a summary line', () => {
    const stream = recorder(false);
    const line = new ProgressLine({ stream, label: 'run', now, lineIntervalMs: 5000 });
    for (let second = 1; second <= 12; second += 1) {
      clock = second * 1000;
      line.update({ records: second });
    }
    line.finish('failed');
    // The first plain line comes after lineIntervalMs, not at once with nothing counted yet.
    expect(stream.text.split('\n')).toEqual([
      'run  5 records, 1 records/s, 0:05 elapsed',
      'run  10 records, 1 records/s, 0:10 elapsed',
      'run failed  12 records, 1 records/s, 0:12 elapsed',
      '',
    ]);
    expect(stream.text).not.toContain('\r');
  });

  it('log() prints above the live line and draws it again', () => {
    const stream = recorder(true);
    const line = new ProgressLine({ stream, now, color: false });
    line.update({ records: 1 });
    line.log('a message');
    line.finish();
    expect(stream.text).toBe(
      '\r1 records, 0 records/s, 0:00 elapsed\x1b[K\r\x1b[Ka message\n\r1 records, 0 records/s, 0:00 elapsed\x1b[K\rdone  1 records, 0 records/s, 0:00 elapsed\x1b[K\n',
    );
  });

  it('quiet: prints no progress, only log lines', () => {
    const stream = recorder(true);
    const line = new ProgressLine({ stream, quiet: true, now });
    line.update({ records: 5 });
    line.log('x');
    line.finish();
    expect(stream.text).toBe('x\n');
  });

  it('hands plain lines to plainLine when given', () => {
    const stream = recorder(false);
    const lines: string[] = [];
    const line = new ProgressLine({ stream, now, plainLine: (text) => lines.push(text) });
    clock = 5000;
    line.update({ records: 2 });
    line.finish();
    expect(lines).toEqual([
      '2 records, 0 records/s, 0:05 elapsed',
      'done  2 records, 0 records/s, 0:05 elapsed',
    ]);
    expect(stream.text).toBe('');
  });

  it('NO_COLOR turns colour off by default', () => {
    const before = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      const stream = recorder(true);
      const line = new ProgressLine({ stream, label: 'x', now });
      line.update({ records: 1 });
      line.finish();
      // No SGR (colour) sequence: ESC [ digits m.
      expect(stream.text).not.toMatch(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`));
    } finally {
      if (before === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = before;
    }
  });
});

describe('formatting', () => {
  it('formats bytes and durations', () => {
    expect([0, 1023, 1536, 5 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 GiB']);
    expect([0, 59_400, 75_000, 3_723_000].map(formatDuration)).toEqual(['0:00', '0:59', '1:15', '1:02:03']);
  });
});
