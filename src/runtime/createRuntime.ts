/**
 * Assembles the one bot runtime every channel shares: storage, state, NLU, dialogs and the bot.
 * Channels (terminal, HTTP, Slack) only build activities and render replies around it.
 */
import { CoachBot } from '../bots/coachBot';
import { MainDialog } from '../../dialogs/mainDialog';
import { createLogger, type Logger } from '../log/logger';
import type { Nlu } from '../nlu/nlu';
import { loadNlu } from '../nlu/loadNlu';
import { CoachState } from '../state/coachState';
import type { CoachStorage } from '../storage/coachStorage';
import { createStorage, defaultStoreUrl } from '../storage/createStorage';
import { MaskingStorage } from '../storage/maskingStorage';
import { createRandom } from '../util/random';
import { Coaching } from '../coach/coaching';
import { Links } from '../identity/links';
import { HOME_EVENT, sendHome, sendWelcome } from '../coach/home';
import { KnowledgeBase } from '../knowledge/knowledgeBase';
import { RoleplayEngine } from '../roleplay/engine';
import { TacticDetector } from '../roleplay/tactics';
import type { CoachServices } from './services';

export interface RuntimeOptions {
  /** Store URL (CONTRACTS section 7); defaults to STORAGE_URL or a SQLite file under COACH_DATA_DIR. */
  store?: string;
  /** Makes every random choice repeatable. */
  seed?: number;
  logger?: Logger;
  /** An already-built store (tests, several runtimes on one store). */
  storage?: CoachStorage;
  nlu?: Nlu;
}

export interface CoachRuntime {
  bot: CoachBot;
  services: CoachServices;
  storage: CoachStorage;
  state: CoachState;
  nlu: Nlu;
  logger: Logger;
  close(): Promise<void>;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<CoachRuntime> {
  const logger = options.logger ?? createLogger();
  // Whatever the backend, personal data is masked before it is stored.
  const backend =
    options.storage ?? (await createStorage(options.store || process.env.STORAGE_URL || defaultStoreUrl()));
  const storage = backend instanceof MaskingStorage ? backend : new MaskingStorage(backend);
  const state = new CoachState(storage);
  const nlu = options.nlu ?? loadNlu();
  const random = createRandom(options.seed);
  const kb = KnowledgeBase.load((text) => nlu.features(text), nlu.featurizerId);
  const coaching = new Coaching(kb, state);
  const roleplay = new RoleplayEngine(kb.bundle.roleplay, new TacticDetector(kb.bundle.tactics), random);
  const services: CoachServices = {
    state,
    random,
    logger,
    kb,
    coaching,
    nlu,
    roleplay,
    links: new Links(storage),
  };
  const bot = new CoachBot({
    state,
    nlu,
    dialog: new MainDialog(services),
    logger,
    events: { [HOME_EVENT]: (context) => sendHome(services, context) },
    welcome: (context) => sendWelcome(services, context),
  });
  return {
    bot,
    services,
    storage,
    state,
    nlu,
    logger,
    close: () => storage.close(),
  };
}
