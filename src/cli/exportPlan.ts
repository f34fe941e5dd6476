/** `coach plan --export FILE.md`: writes the user's negotiation plan as Markdown. */
import { writeFileSync } from 'node:fs';
import { createRuntime } from '../runtime/createRuntime';
import { buildPlan, planToMarkdown } from '../plan/buildPlan';
import { userKeyOf } from '../state/coachState';
import { newProfile, type UserProfile } from '../state/profile';
import type { Lang } from '../knowledge/schema';
import type { ChatOptions } from './args';

export async function exportPlan(options: ChatOptions, file: string): Promise<number> {
  const runtime = await createRuntime({ store: options.store, seed: options.seed });
  try {
    const key = userKeyOf(options.user);
    const stored = (await runtime.storage.read([key]))[key] as { profile?: UserProfile } | undefined;
    const profile = stored?.profile ?? newProfile();
    if (!profile.planDone) {
      process.stderr.write(
        `coach plan: user "${options.user}" has no plan yet; make one in the chat first (say "帮我做计划" or "make a plan")\n`,
      );
      return 1;
    }
    const lang: Lang = options.lang ?? profile.lang ?? profile.lastLang ?? 'zh';
    const values = runtime.services.coaching.templateValues(profile, lang);
    const doc = buildPlan(profile, runtime.services.kb, lang, values);
    writeFileSync(file, planToMarkdown(doc, profile.planDone));
    process.stderr.write(`coach plan: written ${file}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
