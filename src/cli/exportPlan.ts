/** `coach plan --export FILE.md`: writes the terminal user's negotiation plan as Markdown. */
import { writeFileSync } from 'node:fs';
import { createApp } from '../app/createApp';
import { userKeyOf } from '../app/coachApp';
import type { Lang } from '../knowledge/schema';
import { buildPlan, planToMarkdown } from '../plan/buildPlan';
import { templateValues } from '../plan/templateValues';
import { newProfile, type UserProfile } from '../state/profile';
import type { ChatOptions } from './args';

interface UserRecord {
  profile?: UserProfile;
  linkedTo?: string;
}

export async function exportPlan(options: ChatOptions, file: string): Promise<number> {
  const runtime = await createApp({ store: options.store, seed: options.seed });
  try {
    const read = async (key: string) => (await runtime.storage.read([key]))[key] as UserRecord | undefined;
    let stored = await read(userKeyOf(`terminal:${options.user}`));
    // A terminal linked to another channel shares that channel's record.
    if (stored?.linkedTo) stored = await read(userKeyOf(stored.linkedTo));
    const profile = stored?.profile ?? newProfile();
    if (!profile.planDone) {
      process.stderr.write(
        `coach plan: user "${options.user}" has no plan yet; make one in the chat first (say "帮我做计划" or "make a plan")\n`,
      );
      return 1;
    }
    const lang: Lang = options.lang ?? profile.lang ?? profile.lastLang ?? 'zh';
    const doc = buildPlan(
      profile,
      runtime.deps.kb,
      lang,
      templateValues(runtime.deps.kb.texts, profile, lang, Date.now()),
    );
    writeFileSync(file, planToMarkdown(doc, profile.planDone));
    process.stderr.write(`coach plan: written ${file}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
