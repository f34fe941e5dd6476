/**
 * Bot Framework's BotState, with a cheaper change check. The SDK fingerprints the state at load
 * and again at save with a cycle-safe stringify and a SHA-256 hash, four times a turn for user
 * and conversation state — a tenth of a whole turn. State is plain JSON here, so the JSON text
 * itself is the fingerprint. The property accessors, keys and storage are the SDK's.
 */
import { BotState, type Storage, type StorageKeyFactory, type StoreItem, type TurnContext } from 'botbuilder';

interface Cached {
  state: StoreItem;
  hash: string;
}

function fingerprint(state: StoreItem): string {
  const { eTag: _ignored, ...rest } = state;
  return JSON.stringify(rest);
}

export class CoachBotState extends BotState {
  private readonly cacheKey = Symbol('coach.state');

  constructor(
    private readonly store: Storage,
    private readonly keyOf: StorageKeyFactory,
  ) {
    super(store, keyOf);
  }

  override async load(context: TurnContext, force = false): Promise<StoreItem> {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (!force && cached?.state) return cached.state;
    const key = await this.keyOf(context);
    const state = (await this.store.read([key]))[key] ?? {};
    context.turnState.set(this.cacheKey, { state, hash: fingerprint(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    if (!force && (!cached || cached.hash === fingerprint(cached.state))) return;
    cached ??= { state: {}, hash: '' };
    // As the SDK does: this turn held the conversation's lock, so its write wins.
    cached.state.eTag = '*';
    await this.store.write({ [await this.keyOf(context)]: cached.state });
    cached.hash = fingerprint(cached.state);
    context.turnState.set(this.cacheKey, cached);
  }

  override async clear(context: TurnContext): Promise<void> {
    // An empty hash forces the next save.
    context.turnState.set(this.cacheKey, { state: {}, hash: '' } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    await this.store.delete([await this.keyOf(context)]);
  }

  override get(context: TurnContext): StoreItem | undefined {
    const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
    return typeof cached?.state === 'object' ? cached.state : undefined;
  }
}
