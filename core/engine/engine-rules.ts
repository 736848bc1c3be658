import type { DriftwatchConfig } from '../config/config-schema.js';

/** Compiled ignore and severity rules the engine applies. (Stub: filled in by the engine work.) */
export interface EngineRules {
  readonly config: Pick<DriftwatchConfig, 'ignore' | 'severity'>;
  readonly driftignore: string;
  readonly now: Date;
}

/** Compiles config ignore rules, `.driftignore` text and severity overrides once per run. */
export function buildEngineRules(input: {
  config: Pick<DriftwatchConfig, 'ignore' | 'severity'>;
  driftignore?: string;
  now?: Date;
}): EngineRules {
  return {
    config: input.config,
    driftignore: input.driftignore ?? '',
    now: input.now ?? new Date(),
  };
}
