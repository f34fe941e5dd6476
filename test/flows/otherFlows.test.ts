/**
 * The refusal, fee-calculation, role-play, reset, "which problem?" and "drop this?" flows on
 * their own (dialogs/*Flow.ts): events in, effects out, and the paths @xstate/graph finds.
 */
import { blanksFlow } from '../../dialogs/blanksFlow';
import { feeCalcFlow } from '../../dialogs/feeCalcFlow';
import { refusalFlow } from '../../dialogs/refusalFlow';
import { resetFlow } from '../../dialogs/resetFlow';
import { roleplayFlow } from '../../dialogs/roleplayFlow';
import { switchFlow } from '../../dialogs/switchFlow';
import { whichProblemFlow } from '../../dialogs/whichProblemFlow';
import type { StoredFlow } from '../../src/conversation/types';
import { newProfile } from '../../src/state/profile';

import { begin, end, reprompt, run, says, stateIds, walkPaths } from './harness';

const TRANSIENT = new Set(['deciding', 'judging', 'opening']);
const resting = (machine: Parameters<typeof stateIds>[0]) =>
  stateIds(machine).filter((s) => !TRANSIENT.has(s));

describe('refusal flow', () => {
  it('moves the stage at once and lays out the three paths, asking what would sharpen them', () => {
    const r = run(refusalFlow, [begin('支付宝拒绝了我')]);
    expect(r.effects[0]).toEqual({ type: 'flow.journey', event: 'REFUSED' });
    expect(r.replies[0]?.actions).toEqual(['继续沟通', '寻找替代方案', '第三方调解']);
    expect(r.text).toContain('被拒的是哪件事');
  });

  it('hands a chosen path to the coach, and answers something else as such', () => {
    expect(run(refusalFlow, [begin('支付宝拒绝了我'), says('第三方调解')]).effects).toContainEqual({
      type: 'flow.action',
      id: 'seek_mediation',
    });
    const other = run(refusalFlow, [begin('支付宝拒绝了我'), says('你好')]);
    expect(other.status).toBe('done');
    expect(other.effects[other.effects.length - 1]).toMatchObject({ type: 'flow.answer', intent: 'greet' });
  });

  it('lays the paths out again, sharper, when told which problem it was', () => {
    const r = run(refusalFlow, [begin('支付宝拒绝了我'), says('投诉没人处理')]);
    expect(r.status).toBe('active');
    expect(r.effects).toContainEqual(
      expect.objectContaining({ type: 'flow.profile', patch: expect.objectContaining({ issue: 'service' }) }),
    );
  });

  it('asks again briefly after an interruption, not the whole advice', () => {
    const r = run(refusalFlow, [begin('支付宝拒绝了我'), reprompt()]);
    const again = r.replies[1]?.text ?? '';
    expect(again).toContain('哪条路');
    expect(again).not.toContain('先别灰心');
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(refusalFlow, [
      begin('支付宝拒绝了我'),
      says('第三方调解'),
      says('投诉没人处理'),
      says('你好'),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(refusalFlow).sort());
  });
});

describe('fee calculation flow', () => {
  it('answers at once when every number is there, and remembers them', () => {
    const r = run(feeCalcFlow, [begin('月流水10万，费率0.6%，降到0.38%能省多少')]);
    expect(r.status).toBe('done');
    expect(r.text).toContain('每月省220元');
    expect(r.effects).toContainEqual(
      expect.objectContaining({
        type: 'flow.profile',
        patch: expect.objectContaining({
          facts: { monthlyVolume: 100000, currentRate: 0.6, targetRate: 0.38 },
        }),
      }),
    );
  });

  it('asks for what is missing, reads "don’t know", and calculates per 10,000', () => {
    const r = run(feeCalcFlow, [begin('算店里的手续费'), says('不知道'), says('0.6%')]);
    expect(r.replies[0]?.text).toContain('每月通过支付宝收款');
    expect(r.replies[1]?.actions).toEqual(['0.6%', '0.38%']);
    expect(r.text).toContain('每1万元');
  });

  it('leaves a clear change of subject to the coach', () => {
    const r = run(feeCalcFlow, [begin('算手续费'), says('我的账户被冻结了怎么办', undefined, true)]);
    expect(r.effects[r.effects.length - 1]).toEqual({ type: 'flow.unhandled' });
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(feeCalcFlow, [
      begin('算手续费'),
      begin('月流水10万，费率0.6%'),
      says('10万'),
      says('0.6%'),
      says('冻结了', undefined, true),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(feeCalcFlow).sort());
  });
});

describe('role-play flow', () => {
  it('starts at once when the scene and difficulty are named, and ends with a debrief', () => {
    const r = run(roleplayFlow, [
      begin('模拟练习 费率 简单'),
      says('你好，我月流水10万，现在0.6%，每月手续费600元'),
      says('算了 结束吧'),
    ]);
    expect(r.replies[0]?.text).toContain('🎭');
    expect(r.status).toBe('done');
    expect(r.effects.some((e) => e.type === 'flow.debrief')).toBe(true);
    expect(r.replies[r.replies.length - 1]?.card?.kind).toBe('debrief');
  });

  it('asks the scene and the difficulty when they are not named', () => {
    const r = run(roleplayFlow, [begin('模拟练习'), says('账户冻结'), says('困难')]);
    expect(r.replies[0]?.actions).toEqual(['费率谈判', '账户冻结', '投诉没人管']);
    expect(r.replies[1]?.actions).toEqual(['简单', '普通', '困难']);
    expect(r.value).toBe('talking');
  });

  it('a first line typed as the answer to a choice is the first move, answered instead of a greeting', () => {
    const r = run(roleplayFlow, [
      begin('模拟练习'),
      says('我的账户被冻结了，里面有两万块钱，想问问什么时候能解冻'),
      says('普通'),
    ]);
    expect(r.value).toBe('talking');
    const scene = (r.snapshot as { context: { scene: { record: unknown[] } | null } }).context.scene;
    expect(scene?.record).toHaveLength(1);
    expect(r.replies[r.replies.length - 1]?.text).not.toContain('您好');
  });

  it('ends on /end with a debrief', () => {
    const r = run(roleplayFlow, [begin('模拟练习 客服 普通'), end()]);
    expect(r.status).toBe('done');
    expect(r.effects.some((e) => e.type === 'flow.debrief')).toBe(true);
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(roleplayFlow, [
      begin('模拟练习'),
      begin('模拟练习 费率 简单'),
      says('账户冻结'),
      says('困难'),
      says('我们每月流水10万'),
      says('结束'),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(roleplayFlow).sort());
  });
});

describe('reset flow', () => {
  it('asks first; yes clears, anything else keeps', () => {
    const yes = run(resetFlow, [begin('/reset'), says('确定')]);
    expect(yes.replies[0]?.actions).toEqual(['确定', '取消']);
    expect(yes.effects).toContainEqual({ type: 'flow.clear' });
    const no = run(resetFlow, [begin('/reset'), says('等等')]);
    expect(no.effects.some((e) => e.type === 'flow.clear')).toBe(false);
    expect(no.text).toContain('什么都没删');
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(resetFlow, [begin('/reset'), says('确定'), says('不'), reprompt(), end()]);
    expect([...reached].sort()).toEqual(resting(resetFlow).sort());
  });
});

describe('"which problem?" flow', () => {
  it('remembers the problem named and answers the waiting question', () => {
    const r = run(whichProblemFlow, [begin('我要投诉', { intent: 'mediation' }), says('账户安全')]);
    expect(r.replies[0]?.actions).toEqual(['手续费', '账户安全', '客服不处理']);
    expect(r.effects).toContainEqual({ type: 'flow.profile', patch: { issue: 'security' } });
    expect(r.effects).toContainEqual({ type: 'flow.answer', intent: 'mediation', text: '' });
  });

  it('lets any other message go its own way', () => {
    const r = run(whichProblemFlow, [begin('我要投诉', { intent: 'mediation' }), says('今天天气怎么样')]);
    expect(r.status).toBe('done');
    expect(r.effects[r.effects.length - 1]).toEqual({ type: 'flow.unhandled' });
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(whichProblemFlow, [
      begin('我要投诉', { intent: 'mediation' }),
      says('账户安全'),
      says('天气'),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(whichProblemFlow).sort());
  });
});

describe('"drop this one?" flow', () => {
  const suspended: StoredFlow = { id: 'plan', v: 1, snapshot: { value: 'asking' } };
  const options = { suspended, next: { flow: 'roleplay' as const, text: '模拟练习' } };

  it('yes starts the new flow; anything else goes back to the first', () => {
    expect(run(switchFlow, [begin('', options), says('好的')]).effects).toContainEqual({
      type: 'flow.start',
      flow: 'roleplay',
      text: '模拟练习',
    });
    expect(run(switchFlow, [begin('', options), says('算了吧')]).effects).toContainEqual({
      type: 'flow.resume',
      flow: suspended,
      answer: false,
    });
  });

  it('a message that is not a no goes back to the first flow as its possible answer', () => {
    expect(run(switchFlow, [begin('', options), says('大概每月8万')]).effects).toContainEqual({
      type: 'flow.resume',
      flow: suspended,
      answer: true,
    });
    expect(run(switchFlow, [begin('', options), says('No')]).effects).toContainEqual({
      type: 'flow.resume',
      flow: suspended,
      answer: false,
    });
  });

  it('every state is reached, every path runs', () => {
    const { reached } = walkPaths(switchFlow, [
      begin('', options),
      says('好的'),
      says('不'),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(switchFlow).sort());
  });
});

describe('letter blanks flow', () => {
  const merchant = (): ReturnType<typeof newProfile> => ({
    ...newProfile(),
    role: 'merchant',
    issue: 'fees',
    facts: { monthlyVolume: 80000, currentRate: 0.6, targetRate: 0.38 },
  });

  it('asks for what only the user knows, never their name or account, and fills the letter with it', () => {
    const profile = merchant();
    const r = run(blanksFlow, [begin('', { template: 'demand_email' }, profile)]);
    expect(r.text).toContain('店铺名称');
    expect(r.text).not.toContain('你的姓名');
    expect(r.text).not.toContain('支付宝账号');
    const named = run(blanksFlow, [
      begin('', { template: 'demand_email' }, profile),
      says('老王奶茶', profile),
    ]);
    expect(named.effects).toContainEqual({
      type: 'flow.profile',
      patch: { facts: { filled: { business: '老王奶茶' } } },
    });
  });

  it('skips on "跳过", asks again saying why when a number cannot be read, and ends with the filled letter', () => {
    const profile = { ...merchant(), facts: { currentRate: 0.6 } };
    const start = begin('', { template: 'demand_email' }, profile);
    const unread = run(blanksFlow, [start, says('跳过', profile), says('很多', profile)]);
    expect(unread.replies[unread.replies.length - 1]?.text).toContain('没读出');
    const filled = { ...profile, facts: { ...profile.facts, filled: { business: '老王奶茶' } } };
    const done = run(blanksFlow, [begin('', { template: 'demand_email' }, filled)]);
    expect(done.text).not.toContain('店铺名称？');
  });

  it('lets a question or another subject leave it', () => {
    const profile = merchant();
    const r = run(blanksFlow, [
      begin('', { template: 'demand_email' }, profile),
      says('12363能管手续费吗', profile, true),
    ]);
    expect(r.effects).toContainEqual({ type: 'flow.unhandled' });
  });

  it('every state is reached, every path runs', () => {
    const profile = merchant();
    const { reached } = walkPaths(blanksFlow, [
      begin('', { template: 'demand_email' }, profile),
      says('老王奶茶', profile),
      says('跳过', profile),
      says('很多', profile),
      says('12363能管手续费吗', profile, true),
      reprompt(),
      end(),
    ]);
    expect([...reached].sort()).toEqual(resting(blanksFlow).sort());
  });
});
