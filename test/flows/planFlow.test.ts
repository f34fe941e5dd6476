/**
 * The plan flow on its own (dialogs/planFlow.ts): no app, no store — events in, effects out —
 * and the paths @xstate/graph finds through it.
 */
import { planFlow } from '../../dialogs/planFlow';
import type { FlowEffect } from '../../src/conversation/flow';
import { newProfile } from '../../src/state/profile';
import { begin, end, reprompt, run, says, stateIds, walkPaths } from './harness';

const patches = (effects: FlowEffect[]) =>
  effects.filter((e) => e.type === 'flow.profile').map((e) => e.patch);

describe('plan flow, alone', () => {
  it('asks only what it does not know, in order, and delivers the plan with the stage move', () => {
    const r = run(planFlow, [
      begin('帮我做个计划'),
      says('我是商家'),
      says('降手续费'),
      says('0.6%'),
      says('10万'),
      says('0.38%'),
      says('跳过'),
      says('微信支付'),
      says('95188电话'),
    ]);
    expect(r.status).toBe('done');
    expect(r.replies[0]?.text).toContain('商家');
    expect(r.text).toContain('你现在的费率');
    expect(r.text).toContain('📋');
    expect(r.text).toContain('600元');
    expect(r.effects).toContainEqual({ type: 'flow.journey', event: 'PLAN_DONE' });
    const last = patches(r.effects).reduce((a, p) => ({ ...a, ...p, facts: { ...a.facts, ...p.facts } }), {
      facts: {},
    });
    expect(last).toMatchObject({
      role: 'merchant',
      issue: 'fees',
      facts: { currentRate: 0.6, monthlyVolume: 100000, targetRate: 0.38 },
    });
    expect(last.planDone).toBe('2026-12-07');
  });

  it('delivers at once when one message says everything essential', () => {
    const r = run(planFlow, [begin('帮我做计划：我是商家，月流水10万，费率0.6%，想降到0.38%')]);
    expect(r.status).toBe('done');
    expect(r.text).toContain('📋');
    expect(r.replies[r.replies.length - 1]?.actions.length).toBeGreaterThan(0);
  });

  it('says a question about something else is not its answer, and keeps waiting', () => {
    const r = run(planFlow, [
      begin('帮我做计划'),
      says('我是商家'),
      says('降手续费'),
      says('怎么向12363投诉支付宝？', undefined, true),
    ]);
    expect(r.effects[r.effects.length - 1]).toEqual({ type: 'flow.unhandled' });
    expect(r.status).toBe('active');
    expect(r.value).toBe('asking');
  });

  it('asks its question again in the language of the moment', () => {
    const r = run(planFlow, [begin('帮我做计划'), reprompt('en')]);
    expect(r.replies[1]?.text).toMatch(/merchant/i);
    expect(r.replies[1]?.actions).toEqual(["I'm a merchant", "I'm a personal user"]);
  });

  it('exports the plan as Markdown, or says there is none yet', () => {
    expect(run(planFlow, [begin('', { export: true })]).text).toContain('还没有做计划');
    const done = {
      ...newProfile(),
      planDone: '2026-12-01',
      role: 'merchant' as const,
      issue: 'fees' as const,
      facts: { currentRate: 0.6, monthlyVolume: 50000, targetRate: 0.45 },
    };
    expect(run(planFlow, [begin('', { export: true }, done)]).text).toContain('# ');
  });

  it('ends when told', () => {
    expect(run(planFlow, [begin('帮我做计划'), end()]).status).toBe('done');
  });

  it('every state is reached by some path, and every path runs', () => {
    const { reached } = walkPaths(planFlow, [
      begin(''),
      begin('帮我做计划：我是商家，月流水10万，费率0.6%，想降到0.38%'),
      begin('', { export: true }),
      says('我是商家'),
      says('0.6%'),
      says('怎么投诉？', undefined, true),
      reprompt(),
      end(),
    ]);
    const resting = stateIds(planFlow).filter((s) => s !== 'deciding');
    expect([...reached].sort()).toEqual(resting.sort());
  });
});
