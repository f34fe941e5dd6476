/**
 * The user's real negotiation with Alipay as a state machine (CONTRACTS section 4): the four
 * steps of the seed's section 六, the three challenge branches of 七 and the outcomes of 八.
 * The machine only decides where the user is; what the coach says lives in the dialogs.
 */
import { assign, setup } from 'xstate';

/** Bumped whenever states or context change shape; stored with every snapshot. */
export const JOURNEY_MACHINE_VERSION = 1;

export type Step = 'first_contact' | 'making_demands' | 'compromise';

export interface JourneyContext {
  /** The step the user was refused at, to go back to when they try again. */
  refusedAt: Step | null;
  /** They return to the table with a real alternative in hand (a BATNA). */
  leverage: boolean;
  /** How the negotiation ended when it did not end in agreement. */
  ending: 'switched' | 'no_agreement' | 'mediation_failed' | null;
}

export type JourneyEvent =
  | { type: 'PLAN_DONE' }
  | { type: 'CONTACTED' }
  | { type: 'DEMANDS_MADE' }
  | { type: 'REFUSED' }
  | { type: 'RETRY' }
  | { type: 'SEEK_ALTERNATIVES' }
  | { type: 'SEEK_MEDIATION' }
  | { type: 'BACK_TO_TABLE' }
  | { type: 'SWITCH' }
  | { type: 'AGREED' }
  | { type: 'NO_AGREEMENT' }
  | { type: 'RESTART' };

const initialContext = (): JourneyContext => ({ refusedAt: null, leverage: false, ending: null });

export const journeyMachine = setup({
  types: {
    context: {} as JourneyContext,
    events: {} as JourneyEvent,
  },
  actions: {
    rememberRefusal: assign((_, params: { step: Step }) => ({ refusedAt: params.step })),
    noteLeverage: assign({ leverage: true }),
    recordEnding: assign((_, params: { ending: JourneyContext['ending'] }) => ({ ending: params.ending })),
    startOver: assign(() => initialContext()),
  },
  guards: {
    refusedAtFirstContact: ({ context }) => context.refusedAt === 'first_contact',
    refusedAtCompromise: ({ context }) => context.refusedAt === 'compromise',
  },
}).createMachine({
  id: 'journey',
  context: initialContext,
  initial: 'planning',
  states: {
    planning: {
      on: {
        PLAN_DONE: 'first_contact',
        // Users often come to the coach after they already talked to Alipay.
        CONTACTED: 'making_demands',
        DEMANDS_MADE: 'compromise',
        REFUSED: {
          target: 'refused',
          actions: { type: 'rememberRefusal', params: { step: 'making_demands' } },
        },
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    // From each middle step: the challenge branches (refused, alternatives, mediation) and the
    // outcomes, spelled out per state so that every transition is visible in the config.
    first_contact: {
      on: {
        CONTACTED: 'making_demands',
        DEMANDS_MADE: 'compromise',
        REFUSED: {
          target: 'refused',
          actions: { type: 'rememberRefusal', params: { step: 'first_contact' } },
        },
        SEEK_ALTERNATIVES: 'alternatives',
        SEEK_MEDIATION: 'mediation',
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    making_demands: {
      on: {
        DEMANDS_MADE: 'compromise',
        REFUSED: {
          target: 'refused',
          actions: { type: 'rememberRefusal', params: { step: 'making_demands' } },
        },
        SEEK_ALTERNATIVES: 'alternatives',
        SEEK_MEDIATION: 'mediation',
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    compromise: {
      on: {
        REFUSED: { target: 'refused', actions: { type: 'rememberRefusal', params: { step: 'compromise' } } },
        SEEK_ALTERNATIVES: 'alternatives',
        SEEK_MEDIATION: 'mediation',
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    refused: {
      on: {
        RETRY: [
          { guard: 'refusedAtFirstContact', target: 'first_contact' },
          { guard: 'refusedAtCompromise', target: 'compromise' },
          { target: 'making_demands' },
        ],
        SEEK_ALTERNATIVES: 'alternatives',
        SEEK_MEDIATION: 'mediation',
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    alternatives: {
      on: {
        BACK_TO_TABLE: { target: 'making_demands', actions: 'noteLeverage' },
        SWITCH: { target: 'no_agreement', actions: { type: 'recordEnding', params: { ending: 'switched' } } },
        SEEK_MEDIATION: 'mediation',
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'no_agreement' } },
        },
      },
    },
    mediation: {
      on: {
        AGREED: 'agreement',
        NO_AGREEMENT: {
          target: 'no_agreement',
          actions: { type: 'recordEnding', params: { ending: 'mediation_failed' } },
        },
        SEEK_ALTERNATIVES: 'alternatives',
      },
    },
    agreement: {
      on: { RESTART: { target: 'planning', actions: 'startOver' } },
    },
    no_agreement: {
      on: { RESTART: { target: 'planning', actions: 'startOver' } },
    },
  },
});
