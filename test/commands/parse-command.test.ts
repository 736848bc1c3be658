import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../core/commands/parse-command.js';
import { UsageError } from '../../core/errors.js';

describe('parseCommand', () => {
  it.each([
    ['', { verb: 'help' }],
    ['help', { verb: 'help' }],
    ['HELP ignore', { verb: 'help', topic: 'ignore' }],
    ['scan', { verb: 'scan' }],
    ['scan prod', { verb: 'scan', scope: 'prod' }],
    ['status  prod ', { verb: 'status', scope: 'prod' }],
    ['status prod --share', { verb: 'status', scope: 'prod', share: true }],
    ['status --share', { verb: 'status', share: true }],
    ['history dev', { verb: 'history', scope: 'dev' }],
    ['show 7f3a12c4', { verb: 'show', finding: { fingerprint: '7f3a12c4' } }],
    ['subscriptions', { verb: 'subscriptions' }],
    ['devops', { verb: 'devops' }],
    ['unsubscribe all', { verb: 'unsubscribe', scope: 'all' }],
    ['unsubscribe prod', { verb: 'unsubscribe', scope: 'prod' }],
    ['accept 7f3a12c4', { verb: 'accept', finding: { fingerprint: '7f3a12c4' } }],
    [
      'accept 7f3a12c4 planned change CHG-42',
      { verb: 'accept', finding: { fingerprint: '7f3a12c4' }, reason: 'planned change CHG-42' },
    ],
    [
      'accept 7f3a12c4 “typographic quotes”',
      { verb: 'accept', finding: { fingerprint: '7f3a12c4' }, reason: 'typographic quotes' },
    ],
    ['subscribe prod', { verb: 'subscribe', scope: 'prod', allClear: false }],
    [
      'subscribe prod daily 09:00 tz=Europe/Berlin --min-severity high',
      {
        verb: 'subscribe',
        scope: 'prod',
        schedule: 'daily 09:00',
        timezone: 'Europe/Berlin',
        minSeverity: 'high',
        allClear: false,
      },
    ],
    [
      'subscribe --min-severity=critical prod 0 9 * * 1-5 --tz UTC --all-clear',
      {
        verb: 'subscribe',
        scope: 'prod',
        schedule: '0 9 * * 1-5',
        timezone: 'UTC',
        minSeverity: 'critical',
        allClear: true,
      },
    ],
    [
      'ignore 7f3a12c4',
      {
        verb: 'ignore',
        target: { kind: 'finding', finding: { fingerprint: '7f3a12c4' } },
        durationMs: 604_800_000,
        durationText: '7d',
      },
    ],
    [
      'ignore 7f3a12c4 for 12h waiting for vendor',
      {
        verb: 'ignore',
        target: { kind: 'finding', finding: { fingerprint: '7f3a12c4' } },
        durationMs: 43_200_000,
        durationText: '12h',
        reason: 'waiting for vendor',
      },
    ],
    [
      'ignore for 3d 7f3a12c4 waiting for vendor',
      {
        verb: 'ignore',
        target: { kind: 'finding', finding: { fingerprint: '7f3a12c4' } },
        durationMs: 259_200_000,
        durationText: '3d',
        reason: 'waiting for vendor',
      },
    ],
    [
      'ignore 7f3a12c4 waiting for 1y of vendor silence',
      {
        verb: 'ignore',
        target: { kind: 'finding', finding: { fingerprint: '7f3a12c4' } },
        durationMs: 604_800_000,
        durationText: '7d',
        reason: 'waiting for 1y of vendor silence',
      },
    ],
    [
      'ignore properties.tags.* --scope prod --for 2w tag churn',
      {
        verb: 'ignore',
        target: { kind: 'path', path: 'properties.tags.*' },
        scope: 'prod',
        durationMs: 1_209_600_000,
        durationText: '2w',
        reason: 'tag churn',
      },
    ],
    ['audit', { verb: 'audit' }],
    ['audit prod', { verb: 'audit', scope: 'prod' }],
    ['remediate list', { verb: 'remediate', action: 'list' }],
    ['Remediate LIST prod', { verb: 'remediate', action: 'list', scope: 'prod' }],
    ['remediate show 7f3a12', { verb: 'remediate', action: 'show', plan: '7f3a12' }],
  ])('parses %j', (line, expected) => {
    expect(parseCommand(line)).toEqual(expected);
  });

  it.each([
    ['deploy prod', 'unknown command "deploy"; try /drift help'],
    ['audit prod dev', 'unexpected "dev". usage: /drift audit [scope]'],
    ['remediate', 'missing list or show. usage: /drift remediate list [scope] | show <plan id>'],
    [
      'remediate approve 7f3a12',
      '"approve" is not list or show. usage: /drift remediate list [scope] | show <plan id>',
    ],
    ['remediate show', 'missing a plan id. usage: /drift remediate list [scope] | show <plan id>'],
    ['help deploy', 'there is no command "deploy". usage: /drift help [verb]'],
    ['scan prod dev', 'unexpected "dev". usage: /drift scan [scope]'],
    ['scan pr/od', '"pr/od" is not a scope name. usage: /drift scan [scope]'],
    ['show', 'missing a finding id. usage: /drift show <finding>'],
    [
      'show 7f',
      '"7f" is not a finding id (at least 4 letters or digits). usage: /drift show <finding>',
    ],
    ['unsubscribe', 'missing a scope or "all". usage: /drift unsubscribe <scope|all>'],
    ['subscriptions extra', 'unexpected "extra". usage: /drift subscriptions'],
    ['accept "unclosed', 'a quote opened at character 8 is never closed'],
    ['subscribe prod --min-severity severe', 'must be one of critical, high, medium, low, info'],
    ['subscribe prod --bogus', 'unknown option --bogus'],
    [
      'ignore 7f3a12c4 --for 400d',
      '"400d" is not a duration: use a number of minutes, hours, days or weeks such as 30m, 12h, 7d or 2w, at most 366 days. usage: /drift ignore',
    ],
    [
      'ignore 7f3a12c4 for 1y',
      '"1y" is not a duration: use a number of minutes, hours, days or weeks such as 30m, 12h, 7d or 2w, at most 366 days. usage: /drift ignore <finding|path> [for 7d] [--scope S] [reason]',
    ],
    ['ignore for ever 7f3a12c4', '"ever" is not a duration: use a number of minutes'],
    ['ignore 7f3a12c4 for', '"for" needs a duration: use a number of minutes'],
    ['ignore 7f3a12c4 for 2d --for 3d', 'give the duration once'],
  ])('rejects %j with a short usage line', (line, message) => {
    const attempt = () => parseCommand(line);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });
});
