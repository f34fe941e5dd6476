/**
 * The plan export of the web chat: GET /webchat/plan.md with the conversation's token returns
 * the token user's plan as Markdown (what `coach plan --export` writes), or 404 with a short
 * note when there is no plan yet.
 */
import {
  call,
  message,
  postActivity,
  startCoach,
  startConversation,
  TEST_SECRET,
  type Coach,
} from './client';

let coach: Coach;
beforeAll(async () => {
  coach = await startCoach({ hooks: { directLine: { secret: TEST_SECRET } } });
});
afterAll(() => coach.close());

it('answers 404 with a note before there is a plan, and the plan as Markdown after', async () => {
  const conv = await startConversation(coach.base);
  const before = await call<string>(coach.base, 'GET', '/webchat/plan.md?lang=zh', { token: conv.token });
  expect(before.status).toBe(404);
  expect(before.body).toContain('还没有做计划');

  const made = await postActivity(
    coach.base,
    conv,
    message('I run a restaurant, 100k a month on Alipay at 0.6%, I want 0.38%, help me plan', {
      locale: 'en-US',
    }),
  );
  expect(made.status).toBe(200);
  const plan = await call<string>(coach.base, 'GET', '/webchat/plan.md', { token: conv.token });
  expect(plan.status).toBe(200);
  expect(plan.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/);
  expect(plan.headers.get('content-disposition')).toContain('coach-plan.md');
  expect(plan.body).toMatch(/^# /m);
  expect(plan.body).toContain('0.38');

  // Another user's token gets their own (absent) plan, never this one.
  const other = await startConversation(coach.base);
  expect((await call(coach.base, 'GET', '/webchat/plan.md', { token: other.token })).status).toBe(404);
});
