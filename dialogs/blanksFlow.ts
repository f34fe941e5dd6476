/**
 * The blanks of a letter the user asked for: after the letter, its blanks only the user can fill
 * (the shop's name, the case number, the evidence) are asked one at a time; "跳过" leaves one
 * open; when all are answered the letter comes again, filled. Any other message leaves it.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { labels, type FlowEffect, type FlowEvent } from '../src/conversation/flow';
import { askableBlanks, letterText, readBlank } from '../src/conversation/letters';
import { blankName } from '../src/knowledge/render';
import { isSkip } from '../src/conversation/words';
import type { TemplateSlot } from '../src/knowledge/schema';

/** Bumped when states or context change shape; stored with every snapshot. */
export const BLANKS_FLOW_VERSION = 1;

export interface BlanksContext {
  template: string | null;
  /** The blanks still to ask, the first one being asked. */
  blanks: TemplateSlot[];
  /** Something was filled: the letter is shown again at the end. */
  filled: boolean;
  /** The last answer could not be read for the blank asked: its question says so. */
  unread: boolean;
}

export const blanksFlow = setup({
  types: { context: {} as BlanksContext, events: {} as FlowEvent, emitted: {} as FlowEffect },
  guards: {
    hasBlanks: ({ context }) => context.blanks.length > 0,
    filledAny: ({ context }) => context.filled,
    notAnAnswer: ({ event }) => event.env.interruption && !isSkip(event.env.text),
  },
  actions: {
    begin: assign(({ event }) => {
      const env = event.env;
      const id = event.type === 'flow.begin' ? event.options?.template : undefined;
      const template = id ? env.deps.kb.template(id) : undefined;
      return {
        template: template?.id ?? null,
        blanks: template ? askableBlanks(env.deps, template, env.profile, env.lang, env.now) : [],
        filled: false,
        unread: false,
      };
    }),
    askFirst: emit(({ context, event }) => {
      const { deps, lang } = event.env;
      const names = context.blanks.map((s) => blankName(deps.kb.texts, s, lang));
      return {
        type: 'flow.reply' as const,
        reply: {
          text: deps.kb.texts.t('templates.missing', lang, {
            items: names.join(deps.kb.texts.t('case.list_separator', lang)),
            first: names[0] ?? '',
          }),
          actions: [deps.kb.texts.t('templates.skip', lang)],
        },
      };
    }),
    askNext: emit(({ context, event }) => {
      const { deps, lang } = event.env;
      const slot = context.blanks[0];
      const text = deps.kb.texts.t(context.unread ? 'templates.ask_again' : 'templates.ask_next', lang, {
        blank: slot ? blankName(deps.kb.texts, slot, lang) : '',
      });
      return {
        type: 'flow.reply' as const,
        reply: { text, actions: [deps.kb.texts.t('templates.skip', lang)] },
      };
    }),
    take: enqueueActions(({ context, event, enqueue }) => {
      const env = event.env;
      const slot = context.blanks[0];
      if (!slot) return;
      if (isSkip(env.text)) {
        enqueue.assign({ blanks: context.blanks.slice(1), unread: false });
        return;
      }
      const facts = readBlank(slot, env.text, env.profile.facts);
      if (!facts) {
        enqueue.assign({ unread: true });
        return;
      }
      enqueue.emit({ type: 'flow.profile', patch: { facts } });
      enqueue.assign({ blanks: context.blanks.slice(1), filled: true, unread: false });
    }),
    showLetter: emit(({ context, event }) => {
      const env = event.env;
      const template = context.template ? env.deps.kb.template(context.template) : undefined;
      return {
        type: 'flow.reply' as const,
        reply: {
          text: template ? letterText(env.deps, template, env.profile, env.lang, env.now) : '',
          actions: labels(env.deps, ['action:roleplay', 'action:status'], env.lang),
        },
      };
    }),
    notForMe: emit({ type: 'flow.unhandled' } as const),
  },
}).createMachine({
  id: 'blanks',
  context: { template: null, blanks: [], filled: false, unread: false },
  initial: 'starting',
  states: {
    starting: {
      on: {
        'flow.begin': { target: 'opening', actions: 'begin' },
      },
    },
    opening: {
      always: [{ guard: 'hasBlanks', target: 'asking', actions: 'askFirst' }, { target: 'done' }],
    },
    asking: {
      on: {
        'user.message': [
          { guard: 'notAnAnswer', actions: 'notForMe' },
          { target: 'deciding', actions: 'take' },
        ],
        'flow.reprompt': { actions: 'askNext' },
        'flow.end': { target: 'done' },
      },
    },
    deciding: {
      always: [
        { guard: 'hasBlanks', target: 'asking', actions: 'askNext' },
        { guard: 'filledAny', target: 'done', actions: 'showLetter' },
        { target: 'done' },
      ],
    },
    done: { type: 'final' },
  },
});
