import { z } from 'zod';

export const StoreConfig = z.strictObject({
  /** Path of the embedded SQLite store, relative to the working directory. */
  path: z.string().min(1).optional(),
  /** `redis://…`; usually given as the REDIS_URL environment variable instead. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://… or rediss://…')
    .optional(),
  retention: z
    .strictObject({
      reportsPerScope: z.number().int().min(1).max(10_000).optional(),
      baselinesPerScope: z.number().int().min(1).max(1_000).optional(),
    })
    .optional(),
});
export type StoreConfig = z.infer<typeof StoreConfig>;
