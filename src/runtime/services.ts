/** What the dialogs need from the rest of the coach, passed in (never imported as singletons). */
import type { Coaching } from '../coach/coaching';
import type { Links } from '../identity/links';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import type { Logger } from '../log/logger';
import type { Nlu } from '../nlu/nlu';
import type { RoleplayEngine } from '../roleplay/engine';
import type { CoachState } from '../state/coachState';
import type { Random } from '../util/random';

export interface CoachServices {
  state: CoachState;
  random: Random;
  logger: Logger;
  kb: KnowledgeBase;
  coaching: Coaching;
  nlu: Nlu;
  roleplay: RoleplayEngine;
  links: Links;
}
