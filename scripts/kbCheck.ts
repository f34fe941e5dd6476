/**
 * `npm run kb:check`: validates every knowledge file (topics, templates, sources, the case
 * library, channels and glossary …) and prints the coverage table (seed section × language × role × issue). Exits 1 on
 * any problem — a source without a `url` is one — or empty required cell. Sources whose `url` is
 * `none` are listed as warnings for a person to review; they do not fail the check.
 */
import { join } from 'node:path';
import { ISSUES, LANGS, ROLES } from '../src/knowledge/schema';
import { coverage, loadKnowledge, unlinkedSources } from '../src/knowledge/validate';
import { projectRoot } from '../src/util/paths';

function main(): number {
  const { bundle, problems } = loadKnowledge(join(projectRoot(), 'knowledge'));
  for (const p of problems) process.stderr.write(`✗ ${p.file}: ${p.message}\n`);
  const unlinked = unlinkedSources(bundle.sources);
  for (const s of unlinked)
    process.stderr.write(`! source ${s.id} has url: none (no public address found; review)\n`);

  const columns = [...LANGS, ...ROLES, ...ISSUES];
  const rows = coverage(bundle.topics);
  const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));
  const out: string[] = [];
  out.push(`${pad('section', 8)}${columns.map((c) => pad(c, 10)).join('')}`);
  for (const row of rows) {
    const cells = columns.map((c) => {
      const n = row.cells[c] ?? 0;
      const mark = n > 0 ? String(n) : row.gaps.includes(c) ? 'GAP' : '·';
      return pad(mark, 10);
    });
    out.push(`${pad(row.section, 8)}${cells.join('')}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  const gaps = rows.filter((r) => r.gaps.length > 0);
  for (const g of gaps)
    process.stderr.write(`✗ section ${g.section} has no topic for: ${g.gaps.join(', ')}\n`);
  process.stdout.write(
    `${bundle.topics.length} topics, ${bundle.templates.length} templates, ${bundle.cases.length} cases, ` +
      `${bundle.channels.length} channels, ${bundle.glossary.length} glossary terms, ` +
      `${bundle.sources.length} sources (${unlinked.length} without url); ` +
      `${problems.length} problems, ${gaps.length} sections with gaps\n`,
  );
  return problems.length === 0 && gaps.length === 0 ? 0 : 1;
}

process.exitCode = main();
