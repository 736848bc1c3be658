import { describe, expect, it } from 'vitest';
import { boltLogger, createBotLogger } from '../../bot/bot-logger.js';

function fakeDestination() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createBotLogger', () => {
  it('writes JSON lines with the correlation id and masks secrets in messages and fields', () => {
    const destination = fakeDestination();
    const log = createBotLogger({ level: 'info', destination }).child({ correlationId: 'c-1' });

    log.warn(
      { error: 'Slack said invalid_auth for xoxb-1234567890-abcdef' },
      'token xoxb-1234567890-abcdef refused',
    );

    expect(destination.lines.map(({ time: _time, ...rest }) => rest)).toEqual([
      {
        level: 40,
        service: 'driftwatch-bot',
        correlationId: 'c-1',
        error: 'Slack said invalid_auth for ***',
        msg: 'token *** refused',
      },
    ]);
  });

  it("gives Bolt a logger whose level LOG_LEVEL decides, not Bolt's default", () => {
    const destination = fakeDestination();
    const bolt = boltLogger(createBotLogger({ level: 'warn', destination }));

    bolt.setLevel('debug' as never);
    bolt.info('not shown');
    bolt.warn('shown', { retry: 1 });

    expect(destination.lines.map((l) => l.msg)).toEqual(['shown {"retry":1}']);
  });
});
