/**
 * Wraps a store so that personal data never reaches it: every string of every item is masked
 * (phone, ID-card and bank-card numbers, emails, passwords, verification codes) on the way in.
 * Whatever a dialog keeps — slots, transcripts, debrief quotes — is covered, not only the places
 * someone remembered to mask.
 */
import type { StoreItems } from 'botbuilder';
import { maskDeep } from '../privacy/pii';
import { ForwardingStorage } from './forwardingStorage';

export class MaskingStorage extends ForwardingStorage {
  override write(changes: StoreItems): Promise<void> {
    const masked: StoreItems = {};
    for (const key in changes) {
      if (Object.prototype.hasOwnProperty.call(changes, key)) masked[key] = maskItem(changes[key]);
    }
    return this.inner.write(masked);
  }
}

/**
 * Every value of an item but its eTag (an id, never personal data, and one that must reach the
 * store unchanged), masked. Nothing to mask (the usual case): the item itself comes back.
 */
function maskItem(item: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const k in item) {
    if (k === 'eTag' || !Object.prototype.hasOwnProperty.call(item, k)) continue;
    const value = item[k];
    const clean = maskDeep(value);
    if (clean !== value) (out ??= { ...item })[k] = clean;
  }
  return out ?? item;
}
