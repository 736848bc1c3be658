import { ApiError } from './api-error.js';

/** Where a page ends in newest-first order: the last item's time and id. */
export interface CursorPosition {
  at: string;
  id: string;
}

/** An opaque cursor for the next page. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** Reads a cursor from `?cursor=`; 400 naming the parameter when it is not one of ours. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // Not JSON: answered below as a bad cursor.
  }
  throw new ApiError(
    'bad-parameter',
    'cursor: expected the nextCursor of a previous page, unchanged',
    {
      parameter: 'cursor',
    },
  );
}

/** Newest first, ties by id (descending), so paging is stable while reports are added. */
export function compareNewestFirst(a: CursorPosition, b: CursorPosition): number {
  const byTime = Date.parse(b.at) - Date.parse(a.at);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
