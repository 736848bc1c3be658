import { z } from 'zod';

/** An IANA time zone name, checked against the runtime's zone data. */
export const TimeZone = z
  .string()
  .min(1)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected an IANA time zone such as Europe/Berlin or UTC' },
  );
