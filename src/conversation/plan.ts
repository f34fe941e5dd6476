/**
 * What the coach says around a negotiation plan: a slot's question with its choices, the plan
 * itself (several messages, the last with the next actions), the update after a refinement, and
 * the Markdown export.
 */
import { NEXT_ACTIONS } from '../journey/nextActions';
import { currentStage } from '../journey/stage';
import type { Lang } from '../knowledge/schema';
import { buildPlan, planToMarkdown, planToMessages } from '../plan/buildPlan';
import { OPTIONAL_SLOTS, choicesFor, known, type PlanDraft, type Slot } from '../plan/slots';
import { templateValues } from '../plan/templateValues';
import type { UserProfile } from '../state/profile';
import { labels, type CoachDeps } from './flow';
import type { Reply } from './types';

export function slotQuestion(
  deps: CoachDeps,
  slot: Slot,
  draft: PlanDraft,
  lang: Lang,
  again = false,
): Reply {
  const { texts } = deps.kb;
  const numeric = slot === 'currentRate' || slot === 'targetRate' || slot === 'monthlyVolume';
  // Asked again: say why first (nothing in the answer could be read for it).
  const why = again ? texts.t(numeric ? 'plan.again_number' : 'plan.again', lang) : '';
  return {
    text: [why, texts.t(`plan.ask.${slot}`, lang)].filter(Boolean).join(' '),
    actions: choicesFor(slot, draft).map((id) => texts.t(`plan.choice.${id}`, lang)),
  };
}

function refineRefs(profile: PlanDraft): string[] {
  return OPTIONAL_SLOTS.filter((s) => !known(profile, s)).map((s) => `action:refine_${s}`);
}

/**
 * The plan, from the user's record with the draft's facts. `advanced`: delivering it moved the
 * user from planning to first contact (said at the end).
 */
export function planReplies(
  deps: CoachDeps,
  profile: UserProfile,
  lang: Lang,
  now: number,
  advanced: boolean,
): Reply[] {
  const doc = buildPlan(profile, deps.kb, lang, templateValues(deps.kb.texts, profile, lang, now));
  const messages = planToMessages(doc);
  const last = messages[messages.length - 1] ?? '';
  const closing = advanced ? deps.kb.texts.t('plan.ready', lang) : '';
  return [
    ...messages.slice(0, -1).map((text) => ({ text, actions: [] })),
    {
      text: [last, closing].filter(Boolean).join('\n\n'),
      actions: labels(
        deps,
        [...refineRefs(profile), 'action:export_plan', 'action:roleplay', 'action:contacted'],
        lang,
      ),
    },
  ];
}

/** After a refinement: the strategies checklist again, with what the user just added. */
export function planUpdateReply(deps: CoachDeps, profile: UserProfile, lang: Lang, now: number): Reply {
  const doc = buildPlan(profile, deps.kb, lang, templateValues(deps.kb.texts, profile, lang, now));
  const checklist = doc.sections[2];
  return {
    text: [
      deps.kb.texts.t('plan.updated', lang),
      checklist ? [checklist.title, ...checklist.lines].join('\n') : '',
    ].join('\n\n'),
    actions: labels(
      deps,
      [...refineRefs(profile), 'action:export_plan', ...NEXT_ACTIONS[currentStage(profile)]],
      lang,
    ),
  };
}

export function planExportReply(deps: CoachDeps, profile: UserProfile, lang: Lang, now: number): Reply {
  const { texts } = deps.kb;
  if (!profile.planDone) {
    return { text: texts.t('plan.no_plan_yet', lang), actions: labels(deps, ['action:plan'], lang) };
  }
  const doc = buildPlan(profile, deps.kb, lang, templateValues(deps.kb.texts, profile, lang, now));
  return {
    text: `${texts.t('plan.export_intro', lang)}\n\n${planToMarkdown(doc, profile.planDone)}`,
    actions: labels(deps, ['action:roleplay', 'action:contacted'], lang),
  };
}
