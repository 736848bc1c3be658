import { z } from 'zod';

/** Chat bot settings: Slack, access control, schedules. (Issue 6 owns this section.) */
export const ChatConfig = z.strictObject({});
export type ChatConfig = z.infer<typeof ChatConfig>;
