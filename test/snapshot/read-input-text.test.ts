import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readInputText } from '../../core/snapshot/read-input-text.js';

const MiB = 1024 * 1024;
let dir: string;

describe('readInputText on inputs over a megabyte (bytes handed back once decoded)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-input-'));
  });

  it('reads the text exactly: byte order mark dropped, multi-byte characters kept', () => {
    const line = 'Zürich → 東京 🚀 "Renée"\n';
    const text = line.repeat(Math.ceil((3 * MiB) / Buffer.byteLength(line)));
    const path = join(dir, 'big.txt');
    writeFileSync(path, `\uFEFF${text}`);

    const read = readInputText(path, { maxBytes: 64 * MiB });

    expect(read.length).toBe(text.length);
    expect(read === text).toBe(true);
  });

  it('still refuses invalid UTF-8, naming the byte offset, line and column', () => {
    const path = join(dir, 'latin1.json');
    const text = `${'x'.repeat(2 * MiB)}\n  "owner": "Ren?e"\n`;
    const bytes = Buffer.from(text, 'utf8');
    bytes[text.indexOf('?')] = 0xe9; // "é" as Latin-1, not UTF-8
    writeFileSync(path, bytes);

    expect(() => readInputText(path, { maxBytes: 64 * MiB })).toThrow(
      `${path}:2:16: invalid UTF-8 at byte ${2 * MiB + 16}; driftwatch reads UTF-8 text (re-export the file as UTF-8)`,
    );
  });

  it('leaves resident only the text: the bytes go back to the system before any GC', () => {
    const size = 96 * MiB;
    const path = join(dir, 'large.json');
    // Written a mebibyte at a time: no large buffer of the test's own for a GC to free meanwhile.
    const fd = openSync(path, 'w');
    const chunk = Buffer.alloc(MiB, 0x61);
    for (let written = 0; written < size; written += MiB) writeSync(fd, chunk);
    closeSync(fd);
    const before = process.memoryUsage.rss();

    const text = readInputText(path, { maxBytes: 128 * MiB });

    const grown = process.memoryUsage.rss() - before;
    expect(text.length).toBe(size);
    // The text is one byte a character (96 MiB); the bytes read, still resident, would double it.
    expect(grown).toBeLessThan(1.5 * size);
  });
});
