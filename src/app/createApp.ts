/**
 * The composition root of the coach: storage (masked on the way in), the NLU and knowledge base,
 * the core's dependencies, identities and links, and the app every channel talks to.
 */
import { createCoachDeps } from '../core/deps';
import type { CoachDeps } from '../conversation/flow';
import { Links } from '../identity/links';
import { KnowledgeBase } from '../knowledge/knowledgeBase';
import { createLogger, type Logger } from '../log/logger';
import type { Nlu } from '../nlu/nlu';
import { loadNlu } from '../nlu/loadNlu';
import { createRateLimiter, type RateLimiter } from '../runtime/rateLimit';
import type { CoachStorage } from '../storage/coachStorage';
import { createStorage, defaultStoreUrl } from '../storage/createStorage';
import { MaskingStorage } from '../storage/maskingStorage';
import { createRandom } from '../util/random';
import { CoachApp, type TurnObservation } from './coachApp';

export interface AppOptions {
  /** Store URL (CONTRACTS section 7); defaults to STORAGE_URL or a SQLite file under COACH_DATA_DIR. */
  store?: string;
  /** Makes every random choice repeatable. */
  seed?: number;
  logger?: Logger;
  /** An already-built store (tests, several apps on one store). */
  storage?: CoachStorage;
  nlu?: Nlu;
  rateLimiter?: RateLimiter;
  observe?: (o: TurnObservation) => void;
  now?: () => number;
}

export interface CoachRuntime {
  app: CoachApp;
  deps: CoachDeps;
  storage: CoachStorage;
  logger: Logger;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions = {}): Promise<CoachRuntime> {
  const logger = options.logger ?? createLogger();
  // Whatever the backend, personal data is masked before it is stored.
  const backend =
    options.storage ?? (await createStorage(options.store || process.env.STORAGE_URL || defaultStoreUrl()));
  const storage = backend instanceof MaskingStorage ? backend : new MaskingStorage(backend);
  const nlu = options.nlu ?? loadNlu();
  const kb = KnowledgeBase.load((text) => nlu.features(text), nlu.featurizerId);
  const deps = createCoachDeps(kb, nlu, createRandom(options.seed));
  const app = new CoachApp({
    storage,
    deps,
    links: new Links(storage),
    logger,
    // Network channels count messages per user; with a Redis store, in Redis (shared by instances).
    rateLimiter: options.rateLimiter ?? createRateLimiter('user', undefined, storage.redis),
    observe: options.observe,
    now: options.now,
  });
  return { app, deps, storage, logger, close: () => storage.close() };
}
