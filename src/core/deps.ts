/**
 * Builds what the core needs once per process: the knowledge base with every button caption
 * registered (a caption typed or clicked finds its action), the NLU, the role-play engine.
 */
import type { CoachDeps } from '../conversation/flow';
import type { KnowledgeBase } from '../knowledge/knowledgeBase';
import { INTENTS, type Intent } from '../knowledge/intents';
import type { Nlu } from '../nlu/nlu';
import { RoleplayEngine } from '../roleplay/engine';
import type { Random } from '../util/random';

export function createCoachDeps(kb: KnowledgeBase, nlu: Nlu, random: Random): CoachDeps {
  for (const key of kb.texts.keys()) {
    if (key.startsWith('actions.')) kb.registerAction(key.slice('actions.'.length), kb.texts.pair(key));
  }
  for (const intent of INTENTS) {
    const key = `intents.${intent}`;
    if (kb.texts.has(key)) kb.registerIntent(intent as Intent, kb.texts.pair(key));
  }
  const roleplay = new RoleplayEngine(kb.bundle.roleplay, random, kb.texts);
  return { kb, nlu, roleplay, random };
}
