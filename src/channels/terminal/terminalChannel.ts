/**
 * The terminal channel: a line of text in, the coach's replies and the turn's summary out. It
 * does no I/O itself; the interactive and JSON front-ends decide how to read and print. The user
 * is `terminal:<--user>`, in one conversation that quitting and starting again picks up.
 */
import type { AppInput, AppTurn, CoachApp } from '../../app/coachApp';
import type { Lang } from '../../knowledge/schema';
import type { Texts } from '../../knowledge/texts';

export interface TerminalOptions {
  user: string;
  /** Forces the reply language (--lang). */
  forceLang?: Lang;
  /** The terminal's locale (from LANG), a hint for the very first welcome. */
  locale?: string;
}

export class TerminalChannel {
  private forceLang: Lang | undefined;

  constructor(
    private readonly app: CoachApp,
    private readonly options: TerminalOptions,
  ) {
    this.forceLang = options.forceLang;
  }

  /** The coach's interface text (cards drawn as text need their labels). */
  get texts(): Texts {
    return this.app.deps.kb.texts;
  }

  /** /lang in the terminal also changes what this session forces. */
  setForcedLang(lang: Lang | undefined): void {
    this.forceLang = lang;
  }

  /** One user message. `text` may be anything a line can be, even invalid. */
  send(text: string): Promise<AppTurn> {
    return this.app.turn({ ...this.base(), kind: 'message', text });
  }

  /** The conversation opening: the coach greets. */
  open(): Promise<AppTurn> {
    return this.app.turn({ ...this.base(), kind: 'join' });
  }

  private base(): Pick<AppInput, 'identity' | 'conversation' | 'channel' | 'locale' | 'forceLang'> {
    const identity = `terminal:${this.options.user}`;
    return {
      identity,
      conversation: `terminal/${identity}`,
      channel: 'terminal',
      locale: this.options.locale,
      forceLang: this.forceLang,
    };
  }
}
