/**
 * src/lib/dialogs.ts shares botbuilder-dialogs' component registration instead of letting the
 * SDK build one per dialog context. Dialog memory (turn, dialog and conversation scopes) must
 * resolve exactly as before.
 */
import { ComponentRegistration, TestAdapter, TurnContext, type StatePropertyAccessor } from 'botbuilder';
import { DialogsComponentRegistration } from 'botbuilder-dialogs/lib/dialogsComponentRegistration';
import { DialogSet, WaterfallDialog, type DialogState } from '../../src/lib/dialogs';

function turn(text: string): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    text,
    channelId: 'test',
    conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: 'c' },
    from: { id: 'u', name: 'u' },
    recipient: { id: 'bot', name: 'bot' },
  });
}

function stateAccessor(): StatePropertyAccessor<DialogState> {
  const value: DialogState = { dialogStack: [] };
  return { get: async () => value, set: async () => undefined, delete: async () => undefined };
}

describe('botbuilder-dialogs as the coach uses it', () => {
  it('builds the dialogs component registration once and registers one', async () => {
    const dialogs = new DialogSet(stateAccessor());
    await dialogs.createContext(turn('a'));
    await dialogs.createContext(turn('b'));
    expect(new DialogsComponentRegistration()).toBe(new DialogsComponentRegistration());
    const registered = ComponentRegistration.components.filter(
      (c) => c instanceof DialogsComponentRegistration,
    );
    expect(registered).toHaveLength(1);
  });

  it('still resolves dialog memory scopes in each context', async () => {
    const dialogs = new DialogSet(stateAccessor());
    const seen: unknown[] = [];
    dialogs.add(
      new WaterfallDialog('w', [
        async (step) => {
          (step.values as Record<string, unknown>).picked = 'fees';
          seen.push(step.state.getValue('turn.activity.text'), step.state.getValue('dialog.values.picked'));
          return step.endDialog();
        },
      ]),
    );
    const dc = await dialogs.createContext(turn('hello'));
    await dc.beginDialog('w');
    expect(seen).toEqual(['hello', 'fees']);
  });
});
