/**
 * Shards a worker reads at once unless told otherwise (`driftwatch worker --concurrency`, the
 * bot's worker). A shard is waiting, not computing: each subscription's reads are paced by its
 * own ARM bucket (25/s) or by the shared Resource Graph quota, and a soak worker reading 7
 * subscriptions at 25 reads/s each used about a fifth of a core. With 2, three workers read 6 of
 * 20 subscriptions at a time and a full ARM scan took four rounds of each bucket's floor instead
 * of one; with 8, three workers cover 24. Memory is the limit: a shard holds its subscription's
 * resources until it is done.
 */
export const DEFAULT_SHARD_CONCURRENCY = 8;
