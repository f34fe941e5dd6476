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
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = item as Record<string, unknown>;
      const clean = maskDeep(rest);
      // Nothing to mask (the usual case): the item goes on as it is.
      masked[key] = clean === rest ? item : { ...clean, ...(eTag !== undefined ? { eTag } : {}) };
    }
    return this.inner.write(masked);
  }
}
