/** Slack's help names Slack's own forms (`/coach …`); the terminal keeps its own commands. */
import { uiFor } from '../../src/i18n/messages';

/** Every /coach form Slack's help must name. */
const SLACK_FORMS = [
  '/coach help',
  '/coach plan',
  '/coach roleplay [fees|security|service] [easy|normal|hard]',
  '/coach status',
  '/coach progress',
  '/coach lang zh|en',
  '/coach reset',
  '/coach forget',
  '/coach link',
  '/coach end',
];

describe('help text per channel', () => {
  it.each(['zh', 'en'] as const)(
    'Slack’s help (%s) names Slack’s forms and the buttons, no terminal commands',
    (lang) => {
      const help = uiFor('slack').help[lang];
      for (const form of SLACK_FORMS) expect(help).toContain(form);
      expect(help).toMatch(/按钮|buttons/);
      expect(help).not.toMatch(/(^|[\s·])\/(quit|help|lang|reset|status)\b/);
    },
  );

  it.each(['zh', 'en'] as const)('the terminal keeps its own list (%s)', (lang) => {
    const help = uiFor('terminal').help[lang];
    expect(help).toContain('/quit');
    expect(help).toContain('/lang zh|en');
    expect(help).not.toContain('/coach');
  });
});
