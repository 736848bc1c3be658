/**
 * The subset of KQL the simulator understands: exactly what driftwatch's collectors send. Anything
 * else is a request the simulator does not understand, and it says so.
 */
export interface SimGraphQuery {
  table: 'resources' | 'resourcechanges';
  resourceGroups?: string[];
  includeTypes?: string[];
  excludeTypes?: string[];
  tags: Array<[string, string]>;
  targetResourceIds?: string[];
  /** `where id in~ (…)` on the resources table. */
  ids?: string[];
  from?: string;
  to?: string;
  orderById: boolean;
  /** `summarize count() by subscriptionId, type`: rows `{ subscriptionId, type, count_ }`. */
  countByType?: boolean;
  /** `order by subscriptionId asc, type asc` (after the summarize). */
  orderByType?: boolean;
}

const STRING = String.raw`'(?:[^'\\]|\\.)*'`;
const LIST = String.raw`\(\s*(${STRING}(?:\s*,\s*${STRING})*)\s*\)`;

/** Splits on `|` outside string literals. */
function splitPipes(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] as string;
    if (quoted && c === '\\') {
      current += c + (query[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (c === '|' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts;
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

function strings(list: string): string[] {
  return [...list.matchAll(new RegExp(STRING, 'g'))].map((m) => unquote(m[0]));
}

type Apply = (m: RegExpExecArray, q: SimGraphQuery) => void;

/** One row per clause form the collectors send. */
const CLAUSES: Array<[RegExp, Apply]> = [
  [
    new RegExp(`^where resourceGroup in~ ${LIST}$`),
    (m, q) => {
      q.resourceGroups = strings(m[1] as string);
    },
  ],
  [
    new RegExp(`^where type in~ ${LIST}$`),
    (m, q) => {
      q.includeTypes = strings(m[1] as string);
    },
  ],
  [
    new RegExp(`^where type !in~ ${LIST}$`),
    (m, q) => {
      q.excludeTypes = strings(m[1] as string);
    },
  ],
  [
    new RegExp(`^where tags\\[(${STRING})\\] =~ (${STRING})$`),
    (m, q) => {
      q.tags.push([unquote(m[1] as string), unquote(m[2] as string)]);
    },
  ],
  [
    new RegExp(`^where id in~ ${LIST}$`),
    (m, q) => {
      q.ids = strings(m[1] as string);
    },
  ],
  [
    new RegExp(`^where tostring\\(properties.targetResourceId\\) in~ ${LIST}$`),
    (m, q) => {
      q.targetResourceIds = strings(m[1] as string);
    },
  ],
  [
    /^where todatetime\(properties.changeAttributes.timestamp\) between \(datetime\(([^)]+)\) \.\. datetime\(([^)]+)\)\)$/,
    (m, q) => {
      q.from = m[1] as string;
      q.to = m[2] as string;
    },
  ],
  [
    /^summarize count\(\) by subscriptionId, type$/,
    (_m, q) => {
      q.countByType = true;
    },
  ],
  [
    /^order by subscriptionId asc, type asc$/,
    (_m, q) => {
      if (!q.countByType)
        throw new Error('"order by subscriptionId asc, type asc" before summarize');
      q.orderByType = true;
    },
  ],
  [
    /^order by id asc$/,
    (_m, q) => {
      q.orderById = true;
    },
  ],
];

/** Parses a query, or throws an Error naming the clause it does not understand. */
export function parseGraphQuery(query: string): SimGraphQuery {
  const [head, ...clauses] = splitPipes(query);
  const table = head?.toLowerCase();
  if (table !== 'resources' && table !== 'resourcechanges')
    throw new Error(`unknown table "${head}"`);
  const parsed: SimGraphQuery = { table, tags: [], orderById: false };
  for (const clause of clauses) {
    const hit = CLAUSES.map(([re, apply]) => [re.exec(clause), apply] as const).find(([m]) => m);
    if (!hit) throw new Error(`unsupported clause "${clause}"`);
    hit[1](hit[0] as RegExpExecArray, parsed);
  }
  return parsed;
}
