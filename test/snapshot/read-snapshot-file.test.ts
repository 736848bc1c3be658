import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { MAX_NESTING_DEPTH } from '../../core/snapshot/check-nesting-depth.js';
import { readSnapshotFile } from '../../core/snapshot/read-snapshot-file.js';

const R = (name: string) => ({
  id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`,
  name,
  type: 'Microsoft.Web/sites',
});
let dir: string;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readSnapshotFile', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dw-snap-'));
  });

  it.each([
    ['resource-array', JSON.stringify([R('a'), R('b')])],
    [
      'arm-list',
      JSON.stringify({ value: [R('a'), R('b')], nextLink: 'https://management.azure.com/next' }),
    ],
    ['snapshot', JSON.stringify({ schemaVersion: 1, resources: [R('a'), R('b')], errors: [] })],
    [
      'arm-example',
      JSON.stringify({
        parameters: { 'api-version': '2023-12-01' },
        responses: { '200': { body: { value: [R('a'), R('b')] } } },
      }),
    ],
    [
      'resource-graph',
      JSON.stringify({
        totalRecords: 2,
        count: 2,
        resultTruncated: 'false',
        data: [R('a'), R('b')],
      }),
    ],
  ])('recognises the %s shape', (shape, content) => {
    const result = readSnapshotFile(file('in.json', content));
    expect(result.shape).toBe(shape);
    expect(result.snapshot.resources.map((r) => r.name)).toEqual(['a', 'b']);
    expect(result.snapshot.complete).toBe(true);
  });

  it('keeps the errors of a snapshot document and marks it incomplete', () => {
    const content = JSON.stringify({
      resources: [R('a')],
      errors: [{ id: '/subscriptions/s/resourceGroups/rg2', message: '403' }],
    });
    const { snapshot } = readSnapshotFile(file('in.json', content));
    expect(snapshot.errors).toEqual([
      { id: '/subscriptions/s/resourceGroups/rg2', message: '403' },
    ]);
    expect(snapshot.complete).toBe(false);
  });

  it('reads an ARM example whose body is one resource', () => {
    const { snapshot, shape } = readSnapshotFile(
      file(
        'ex.json',
        JSON.stringify({ parameters: {}, responses: { '200': { body: R('one') }, '404': {} } }),
      ),
    );
    expect([shape, snapshot.resources.length]).toEqual(['arm-example', 1]);
  });

  it.each([
    [
      'malformed JSON with file, line and column',
      '[\n  {"id": "/x"},\n  {"id": }\n]',
      /in\.json:3:10: malformed JSON/,
      'input.malformed-json',
    ],
    ['truncated JSON', '[{"id": "/x"}', /in\.json:1:\d+: malformed JSON/, 'input.malformed-json'],
    [
      'none of the accepted shapes',
      '{"hello": 1}',
      /expected a JSON array of ARM resources.*found an object with keys hello/,
      'input.unknown-shape',
    ],
    ['a scalar document', '42', /found a number/, 'input.unknown-shape'],
    [
      'a resource without id',
      JSON.stringify([R('a'), { name: 'nameless' }]),
      /resource #1 \(name "nameless"\) has no "id"/,
      'input.missing-id',
    ],
    [
      'duplicate ids, case-insensitively',
      JSON.stringify([R('a'), { ...R('a'), id: R('a').id.toUpperCase() }]),
      /duplicate resource id .*SITES\/A \(resources #0 and #1\)/,
      'input.duplicate-id',
    ],
    ['an empty file', '  \n', /file is empty/, 'input.empty'],
    [
      'a bad errors list',
      JSON.stringify({ resources: [], errors: [{ message: 'x' }] }),
      /errors\[0\] needs a string "id"/,
      'input.bad-errors',
    ],
  ])('rejects %s with one clear error', (_name, content, message, code) => {
    const path = file('in.json', content);
    expect(() => readSnapshotFile(path)).toThrow(message);
    try {
      readSnapshotFile(path);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe(code);
    }
  });

  it('rejects a missing file and a directory', () => {
    expect(() => readSnapshotFile(join(dir, 'nope.json'))).toThrow(
      /nope\.json: cannot read \(no such file\)/,
    );
    mkdirSync(join(dir, 'folder'));
    expect(() => readSnapshotFile(join(dir, 'folder'))).toThrow(/is a directory/);
  });

  it('fails at once, without reading, on a file over the size limit', () => {
    const path = file('big.json', JSON.stringify([R('a')]));
    expect(() => readSnapshotFile(path, { maxBytes: 10 })).toThrow(
      `${path}: 117 bytes is larger than the 10 bytes driftwatch reads in one file; split the scope or collect with \`driftwatch scan\``,
    );
  });

  it('stops reading a device that never ends (/dev/zero) at the limit', () => {
    expect(() => readSnapshotFile('/dev/zero', { maxBytes: 1024 * 1024 })).toThrow(
      '/dev/zero: more than 1 MiB read; stopped at the limit driftwatch reads in one file; split the scope or collect with `driftwatch scan`',
    );
  });

  it('stops reading a pipe that never ends at the limit', async () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `yes '[' > '${fifo}'`], { stdio: 'ignore' });
    const exited = new Promise((resolve) => writer.once('exit', resolve));

    expect(() => readSnapshotFile(fifo, { maxBytes: 64 * 1024 })).toThrow(
      `${fifo}: more than 64 KiB read; stopped at the limit`,
    );
    await exited;
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const path = file('bom.json', `\uFEFF${JSON.stringify([R('a')])}`);

    const { snapshot } = readSnapshotFile(path);

    expect(snapshot.resources.map((r) => r.name)).toEqual(['a']);
  });

  it.each([
    ['with a byte order mark (PowerShell Out-File)', 'utf16le', '\uFEFF', 'little-endian'],
    ['without a byte order mark', 'utf16le', '', 'little-endian'],
  ] as const)('names UTF-16 %s and says to save it as UTF-8', (_name, encoding, bom, order) => {
    const path = join(dir, 'utf16.json');
    writeFileSync(path, Buffer.from(`${bom}${JSON.stringify([R('a')])}`, encoding));

    expect(() => readSnapshotFile(path)).toThrow(
      `${path}: file is UTF-16 (${order}); save it as UTF-8 (PowerShell: Set-Content -Encoding utf8, or Out-File -Encoding utf8)`,
    );
  });

  it('names a big-endian UTF-16 file by its byte order mark', () => {
    const path = join(dir, 'utf16be.json');
    writeFileSync(path, Buffer.from([0xfe, 0xff, 0x00, 0x5b, 0x00, 0x5d]));

    expect(() => readSnapshotFile(path)).toThrow(`${path}: file is UTF-16 (big-endian)`);
  });

  it('refuses invalid UTF-8 inside a string, naming the byte offset, line and column', () => {
    const path = join(dir, 'latin1.json');
    const text = `[\n  {"id": "/subscriptions/s/x", "tags": {"owner": "Ren?e"}}\n]`;
    const bytes = Buffer.from(text, 'utf8');
    bytes[text.indexOf('?')] = 0xe9; // "é" as Latin-1, not UTF-8

    writeFileSync(path, bytes);
    expect(() => readSnapshotFile(path)).toThrow(
      `${path}:2:54: invalid UTF-8 at byte 55; driftwatch reads UTF-8 text (re-export the file as UTF-8)`,
    );
  });

  it('refuses a document nested deeper than the limit, naming the file and the limit', () => {
    const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
    const path = file('deep.json', JSON.stringify([{ ...R('a'), properties: deep(2000) }]));

    expect(() => readSnapshotFile(path)).toThrow(
      `${path}: nested more than ${MAX_NESTING_DEPTH} levels deep at [0].properties.a.a.a.a… (resource ${R('a').id}); driftwatch reads at most ${MAX_NESTING_DEPTH} levels (real ARM resources nest far less)`,
    );
  });

  it('reads a document nested exactly to the limit', () => {
    const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) });
    // The array is level 1 and the resource level 2: properties and below take the rest.
    const path = file(
      'deep.json',
      JSON.stringify([{ ...R('a'), properties: deep(MAX_NESTING_DEPTH - 2) }]),
    );

    expect(readSnapshotFile(path).snapshot.resources).toHaveLength(1);
  });
});
