import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
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
      /larger than the 0 MiB driftwatch reads in one file/,
    );
  });
});
