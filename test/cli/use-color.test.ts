import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../cli/output/write-report.js';

const stream = (isTTY: boolean) => Object.assign(new PassThrough(), { isTTY });

describe('useColor', () => {
  it.each([
    ['a TTY', {}, true, true],
    ['not a TTY', {}, false, false],
    ['NO_COLOR set', { NO_COLOR: '1' }, true, false],
    ['NO_COLOR empty (not set, per no-color.org)', { NO_COLOR: '' }, true, true],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
    ['FORCE_COLOR on a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR empty on a pipe', { FORCE_COLOR: '' }, false, true],
    ['FORCE_COLOR=0 on a TTY', { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR with TERM=dumb', { FORCE_COLOR: '1', TERM: 'dumb' }, false, true],
    ['NO_COLOR over FORCE_COLOR', { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
  ])('%s', (_name, env, isTTY, expected) => {
    expect(useColor({ env, stdout: stream(isTTY) })).toBe(expected);
  });
});
