/**
 * The parts of botbuilder-dialogs the coach uses, imported from their own modules. The package's
 * index also loads every prompt and the Recognizers-Text suites (number, date-time, choice in a
 * dozen languages), which cost about 300 ms of start-up and which the coach never uses.
 * botbuilder-dialogs is archived, so these paths will not move.
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
export { TextPrompt } from 'botbuilder-dialogs/lib/prompts/textPrompt';
export { DialogTurnStatus, type Dialog, type DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export type { DialogContext, DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
