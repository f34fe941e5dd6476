/**
 * Bot Framework's BotState, with a cheaper change check. The SDK fingerprints the state at load
 * and again at save with a cycle-safe stringify and a SHA-256 hash, four times a turn for user
 * and conversation state — a tenth of a whole turn. State is plain JSON here, so the JSON text
 * itself is the fingerprint. The property accessors, keys and storage are the SDK's.
 */
import { forgetWriteText, noteWriteText, serialiseItem, takeReadText } from '../storage/jsonText';
import { BotState, type Storage, type StoreItem, type TurnContext } from 'botbuilder';

interface Cached {
  state: StoreItem;
  hash: string;
}

/** The record as the store keeps it; at load, the very text the store parsed it from. */
function fingerprint(state: StoreItem, loaded = false): string {
  const read = loaded ? takeReadText(state) : undefined;
  if (read !== undefined) return read;
  // A record the store did not have (every new user and conversation) is empty.
  for (const key in state) if (key !== 'eTag') return serialiseItem(state);
  return '{}';
}

export class CoachBotState extends BotState {
  private readonly cacheKey = Symbol('coach.state');

  constructor(
    private readonly store: Storage,
    private readonly keyOf: (context: TurnContext) => string,
  ) {
    super(store, (context) => Promise.resolve(keyOf(context)));
  }

  override load(context: TurnContext, force = false): Promise<StoreItem> {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    // Loaded already (the usual case, several times a turn): no async function around it.
    if (!force && cached?.state) return Promise.resolve(cached.state);
    return this.read(context);
  }

  private async read(context: TurnContext): Promise<StoreItem> {
    const key = this.keyOf(context);
    const state = (await this.store.read([key]))[key] ?? {};
    context.turnState.set(this.cacheKey, { state, hash: fingerprint(state, true) } satisfies Cached);
    return state;
  }

  /** Whether this turn has read (or been given) the record already. */
  isLoaded(context: TurnContext): boolean {
    return context.turnState.get(this.cacheKey) !== undefined;
  }

  /**
   * Gives this turn the record read elsewhere (CoachState reads both records in one call).
   * `changed`: the record is not what the store holds under this key, so the next save writes it.
   */
  prime(context: TurnContext, state: StoreItem, changed = false): void {
    context.turnState.set(this.cacheKey, {
      state,
      hash: changed ? '' : fingerprint(state, true),
    } satisfies Cached);
  }

  /**
   * The write this turn's changes need, or undefined when nothing changed. `done` must be called
   * once the write succeeded (so that a second save writes only newer changes).
   */
  pendingWrite(
    context: TurnContext,
    force = false,
  ): { key: string; state: StoreItem; done: () => void } | undefined {
    let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (!cached && !force) return undefined;
    cached ??= { state: {}, hash: '' };
    const now = fingerprint(cached.state);
    if (!force && cached.hash === now) return undefined;
    // As the SDK does: this turn held the conversation's lock, so its write wins.
    cached.state.eTag = '*';
    // The store writes the text just made rather than serialising the record again.
    noteWriteText(cached.state, now);
    const record = cached;
    return {
      key: this.keyOf(context),
      state: record.state,
      done: () => {
        record.hash = now;
        context.turnState.set(this.cacheKey, record);
      },
    };
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const write = this.pendingWrite(context, force);
    if (!write) return;
    try {
      await this.store.write({ [write.key]: write.state });
    } finally {
      forgetWriteText(write.state);
    }
    write.done();
  }

  override async clear(context: TurnContext): Promise<void> {
    // An empty hash forces the next save.
    context.turnState.set(this.cacheKey, { state: {}, hash: '' } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    await this.store.delete([this.keyOf(context)]);
  }

  override get(context: TurnContext): StoreItem | undefined {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    return typeof cached?.state === 'object' ? cached.state : undefined;
  }
}
