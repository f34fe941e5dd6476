/**
 * What makes sense next in each stage, as follow-up references (the same form knowledge topics
 * use: `action:…`, `template:…`, `topic:…`). Every coaching answer ends with these.
 */
import type { Stage } from './stage';

export const NEXT_ACTIONS: Record<Stage, readonly string[]> = {
  planning: ['action:plan', 'action:fee_calc', 'action:roleplay', 'action:contacted'],
  first_contact: ['template:opening_script', 'action:roleplay', 'action:contacted', 'action:refusal'],
  making_demands: ['template:demand_email', 'action:demands_made', 'action:agreed', 'action:refusal'],
  compromise: ['topic:steps.compromise', 'action:agreed', 'action:refusal', 'action:not_agreed'],
  refused: ['action:keep_talking', 'action:seek_alternatives', 'action:seek_mediation'],
  alternatives: ['action:back_to_table', 'action:switch_platform', 'action:seek_mediation'],
  mediation: ['template:complaint_12363', 'action:agreed', 'action:not_agreed'],
  agreement: ['topic:outcomes.agreement', 'action:restart', 'topic:outcomes.outlook'],
  no_agreement: ['topic:outcomes.no_agreement', 'action:restart', 'topic:outcomes.outlook'],
};
