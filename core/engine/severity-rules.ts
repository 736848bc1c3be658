import type { ArmResource } from '../model/resource.js';
import type { Severity } from '../model/severity.js';
import { ACCESS_RULES } from './severity/access-rules.js';
import { NETWORK_RULES } from './severity/network-rules.js';
import { PROTECTION_RULES } from './severity/protection-rules.js';

/** What a severity rule sees of one change. */
export interface ChangeContext {
  /** Lower-cased resource type. */
  resourceType: string;
  path: string;
  before: unknown;
  after: unknown;
  beforeResource: ArmResource | undefined;
  afterResource: ArmResource | undefined;
}

/** A built-in or user rule: the first that matches scores the change and says why. */
export interface SeverityRule {
  id: string;
  severity: Severity;
  why: string;
  /** True (use `why`) or a more specific explanation; false/undefined when it does not apply. */
  match(change: ChangeContext): boolean | string | undefined;
  /**
   * Also scores a resource that appeared, from its body (each property read as a change from
   * nothing). Only for rules whose "after" alone is the risk: a new rule open to the internet is
   * as bad as an old rule opened; a new storage account with default settings is not.
   */
  onAdded?: boolean;
}

/**
 * Built-in severity rules, most specific first: network exposure, then identity and access, then
 * data protection and logging, then the general rules and the catch-all. Each says why it scores
 * as it does; users can override a rule's severity (or turn it off) and add their own rules ahead
 * of these in config.
 */
export const BUILT_IN_SEVERITY_RULES: readonly SeverityRule[] = [
  ...NETWORK_RULES,
  ...ACCESS_RULES,
  ...PROTECTION_RULES,
  {
    id: 'vm-size-changed',
    severity: 'medium',
    why: 'the VM size changed (cost and capacity)',
    match: (c) => c.path === 'properties.hardwareProfile.vmSize',
  },
  {
    id: 'sku-changed',
    severity: 'medium',
    why: 'the SKU changed (cost, capacity or features)',
    match: (c) => c.path === 'sku' || c.path.startsWith('sku.'),
  },
  {
    id: 'identity-changed',
    severity: 'medium',
    why: 'the managed identity configuration changed',
    match: (c) => c.path === 'identity' || c.path.startsWith('identity.'),
  },
  {
    id: 'tag-changed',
    severity: 'low',
    why: 'a tag changed',
    match: (c) => c.path === 'tags' || c.path.startsWith('tags.'),
  },
  {
    id: 'property-changed',
    severity: 'medium',
    why: 'a configuration property changed outside its deployment',
    match: () => true,
  },
];

/** Finding-level rules for resources that appeared, disappeared or could not be read. */
export const FINDING_RULES = {
  added: {
    id: 'resource-added',
    severity: 'medium',
    why: 'a resource exists that the baseline does not know',
  },
  addedExposed: {
    id: 'public-endpoint-added',
    severity: 'high',
    why: 'a new public IP address or inbound rule appeared',
  },
  removedLogging: {
    id: 'logging-removed',
    severity: 'high',
    why: 'a diagnostic or audit setting was removed: its logs stopped',
  },
  removed: {
    id: 'resource-removed',
    severity: 'high',
    why: 'a resource in the baseline no longer exists',
  },
  unknown: {
    id: 'resource-unknown',
    severity: 'info',
    why: 'the resource could not be read, so drift cannot be ruled out',
  },
} as const satisfies Record<string, { id: string; severity: Severity; why: string }>;
