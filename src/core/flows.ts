/**
 * The flows the core can run, by id: each one's machine, the version its snapshots are stored
 * with, the mode reported while it runs (CONTRACTS section 2), and the intents that belong to its
 * own conversation (never read as a change of subject while it waits for an answer).
 */
import type { AnyStateMachine } from 'xstate';
import { BLANKS_FLOW_VERSION, blanksFlow } from '../../dialogs/blanksFlow';
import { FEE_CALC_FLOW_VERSION, feeCalcFlow } from '../../dialogs/feeCalcFlow';
import { FORGET_FLOW_VERSION, forgetFlow } from '../../dialogs/forgetFlow';
import { PLAN_FLOW_VERSION, planFlow } from '../../dialogs/planFlow';
import { REFUSAL_FLOW_VERSION, refusalFlow } from '../../dialogs/refusalFlow';
import { RESET_FLOW_VERSION, resetFlow } from '../../dialogs/resetFlow';
import { ROLEPLAY_FLOW_VERSION, roleplayFlow } from '../../dialogs/roleplayFlow';
import { SWITCH_FLOW_VERSION, switchFlow } from '../../dialogs/switchFlow';
import { WHICH_PROBLEM_FLOW_VERSION, whichProblemFlow } from '../../dialogs/whichProblemFlow';
import type { FlowId } from '../conversation/flow';
import type { Intent } from '../knowledge/schema';

export interface FlowDefinition {
  machine: AnyStateMachine;
  version: number;
  /** The `mode` while it runs; `null`: the mode of the flow it interrupted, else `coach`. */
  mode: string | null;
  ownIntents: readonly Intent[];
}

export const FLOWS: Record<FlowId, FlowDefinition> = {
  plan: {
    machine: planFlow,
    version: PLAN_FLOW_VERSION,
    mode: 'plan',
    ownIntents: ['plan', 'fees', 'security', 'service', 'fee_calc', 'alternatives'],
  },
  refusal: {
    machine: refusalFlow,
    version: REFUSAL_FLOW_VERSION,
    mode: 'refusal',
    ownIntents: ['refusal', 'alternatives', 'mediation', 'fees', 'security', 'service'],
  },
  fee_calc: {
    machine: feeCalcFlow,
    version: FEE_CALC_FLOW_VERSION,
    mode: 'fee_calc',
    ownIntents: ['fee_calc', 'fees'],
  },
  roleplay: { machine: roleplayFlow, version: ROLEPLAY_FLOW_VERSION, mode: 'roleplay', ownIntents: [] },
  reset: { machine: resetFlow, version: RESET_FLOW_VERSION, mode: 'reset', ownIntents: [] },
  forget: { machine: forgetFlow, version: FORGET_FLOW_VERSION, mode: 'forget', ownIntents: [] },
  which_problem: {
    machine: whichProblemFlow,
    version: WHICH_PROBLEM_FLOW_VERSION,
    mode: null,
    ownIntents: [],
  },
  switch: { machine: switchFlow, version: SWITCH_FLOW_VERSION, mode: null, ownIntents: [] },
  blanks: { machine: blanksFlow, version: BLANKS_FLOW_VERSION, mode: null, ownIntents: [] },
};

/** Flows that start from an intent of the same name. */
export const FLOW_INTENTS: readonly Intent[] = ['plan', 'roleplay', 'fee_calc', 'refusal'];

/** Flows that take whatever the user says as their answer: no interruption is looked for. */
export const ANSWER_ANYTHING: readonly string[] = ['reset', 'forget', 'switch', 'which_problem'];
