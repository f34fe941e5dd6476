/** Training labels: an intent id, or `oos:<theme>` for one theme of out-of-scope messages. */
import type { Intent } from '../knowledge/schema';

export const OOS_PREFIX = 'oos:';

export function labelToIntent(label: string): Intent {
  return label.startsWith(OOS_PREFIX) ? 'out_of_scope' : (label as Intent);
}
