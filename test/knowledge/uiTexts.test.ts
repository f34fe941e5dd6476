/**
 * The coach's interface text (knowledge/ui) against the code that asks for it: every key the
 * code names exists, in both languages, and is given exactly the `{values}` it fills; the
 * validator finds nothing wrong with the files; texts that no code names yet are listed (a
 * warning, not a failure: the dialog rewrite will start using many of them).
 *
 * The code is read with the TypeScript parser, not with regular expressions, so comments are
 * skipped and strings are read as the compiler reads them. A key is any string literal shaped
 * `<ui file>.<key>` (`'plan.title'`), and any literal handed to `.t(` / `.pair(` / `t(`. Literals
 * of that shape that name something else — a topic, template or case id ('refusal.fees'), a
 * dialog id ('plan.steps') — are recognised and left alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';
import { Texts } from '../../src/knowledge/texts';
import { loadKnowledge, uiPlaceholders } from '../../src/knowledge/validate';
import { projectRoot } from '../../src/util/paths';

const ROOT = projectRoot();
const UI_DIR = join(ROOT, 'knowledge', 'ui');
/** Where the code that asks for texts lives. */
const CODE_DIRS = ['src', 'dialogs'];
/** The parts of the coach that have (or will have) a knowledge/ui file. */
const KNOWN_NAMESPACES = [
  'core',
  'actions',
  'intents',
  'stages',
  'plan',
  'debrief',
  'render',
  'cards',
  'refusal',
  'fees',
  'roleplay',
  'flows',
];

const { bundle, problems } = loadKnowledge(join(ROOT, 'knowledge'));
const texts = new Texts(bundle.ui);
const namespaces = [
  ...new Set([
    ...KNOWN_NAMESPACES,
    ...readdirSync(UI_DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, '')),
  ]),
];
const KEY_SHAPE = new RegExp(`^(${namespaces.join('|')})\\.[a-z0-9_.]+$`);
const KEY_PREFIX = new RegExp(`^(${namespaces.join('|')})\\.[a-z0-9_.]*$`);

/** Where a literal was found, for messages. */
interface Site {
  key: string;
  at: string;
}

/** A call that names a text and, when it can be read, the `{values}` it gives. */
interface Lookup extends Site {
  /** The value names given; undefined when they cannot be read (a variable, a spread). */
  values?: string[];
}

interface Scan {
  /** Literals handed to `.t(`, `.pair(` or `t(`: the code asks for these texts. */
  asked: Lookup[];
  /** Literals handed to a texts `.has(`: asked whether they exist, so they may not. */
  probed: Site[];
  /** Every literal shaped like a ui key. */
  keyLike: Site[];
  /** Literals used as dialog or prompt ids: the same shape, something else. */
  dialogIds: Set<string>;
  /** The fixed start of keys built at run time (`stages.${stage}`): such keys count as used. */
  prefixes: Set<string>;
}

function isText(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

/** The literal strings an expression can evaluate to: `a ? 'x' : 'y'`, `k ?? 'z'`, `('w')`. */
function literalLeaves(node: ts.Expression): string[] {
  if (isText(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return literalLeaves(node.expression);
  if (ts.isConditionalExpression(node)) return [...literalLeaves(node.whenTrue), ...literalLeaves(node.whenFalse)];
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
  ) {
    return [...literalLeaves(node.left), ...literalLeaves(node.right)];
  }
  return [];
}

/** The property names of an object literal, or undefined when a spread or computed name hides them. */
function objectKeys(node: ts.ObjectLiteralExpression): string[] | undefined {
  const names: string[] = [];
  for (const p of node.properties) {
    if (ts.isSpreadAssignment(p) || !p.name) return undefined;
    if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) names.push(p.name.text);
    else return undefined;
  }
  return names.sort();
}

/** The name a call is made through: `texts.t(` → `t`, `t(` → `t`, `new WaterfallDialog(` → `WaterfallDialog`. */
function calleeName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

const DIALOG_METHODS = new Set(['beginDialog', 'replaceDialog', 'prompt', 'findDialog', 'cancelDialog']);

/** Reads one source file. */
function scanSource(fileName: string, code: string, scan: Scan): void {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node): string =>
    `${fileName}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;

  const visit = (node: ts.Node): void => {
    if (isText(node) && KEY_SHAPE.test(node.text)) scan.keyLike.push({ key: node.text, at: at(node) });

    if (ts.isTemplateExpression(node) && KEY_PREFIX.test(node.head.text)) scan.prefixes.add(node.head.text);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
      isText(node.left) &&
      KEY_PREFIX.test(node.left.text)
    ) {
      scan.prefixes.add(node.left.text);
    }

    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const [first, ...rest] = node.arguments;
      if (first && (name === 't' || name === 'pair')) {
        const objects = rest.filter(ts.isObjectLiteralExpression);
        let values: string[] | undefined;
        if (name === 't') {
          const object = objects[0];
          if (object) values = objectKeys(object);
          // `texts.t(key, lang)` and a local `t(key)` give no values.
          else if (ts.isPropertyAccessExpression(node.expression) ? rest.length <= 1 : rest.length === 0)
            values = [];
        }
        for (const key of literalLeaves(first)) scan.asked.push({ key, at: at(first), values });
      }
      if (
        first &&
        name === 'has' &&
        ts.isPropertyAccessExpression(node.expression) &&
        /texts$/i.test(node.expression.expression.getText(source))
      ) {
        for (const key of literalLeaves(first)) scan.probed.push({ key, at: at(first) });
      }
      if (first && name && DIALOG_METHODS.has(name)) for (const id of literalLeaves(first)) scan.dialogIds.add(id);
      if (first && node.expression.kind === ts.SyntaxKind.SuperKeyword)
        for (const id of literalLeaves(first)) scan.dialogIds.add(id);
    }
    if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      const first = node.arguments?.[0];
      if (first && name && /(Dialog|Prompt)$/.test(name)) for (const id of literalLeaves(first)) scan.dialogIds.add(id);
    }
    // `this.initialDialogId = 'plan.steps'`, `dc.activeDialog?.id === 'roleplay.talk'`
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      const sides: [ts.Expression, ts.Expression][] = [
        [node.left, node.right],
        [node.right, node.left],
      ];
      for (const [named, value] of sides) {
        const name = ts.isPropertyAccessExpression(named) ? named.name.text : undefined;
        const dialogish =
          (op === ts.SyntaxKind.EqualsToken && name === 'initialDialogId') ||
          ((op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
            name === 'id');
        if (dialogish) for (const id of literalLeaves(value)) scan.dialogIds.add(id);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function emptyScan(): Scan {
  return { asked: [], probed: [], keyLike: [], dialogIds: new Set(), prefixes: new Set() };
}

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return codeFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const scan = emptyScan();
for (const dir of CODE_DIRS) {
  for (const file of codeFiles(join(ROOT, dir))) {
    scanSource(relative(ROOT, file).split(sep).join('/'), readFileSync(file, 'utf8'), scan);
  }
}

/** Ids of other things that share the `<part>.<name>` shape. */
const otherIds = new Set<string>([
  ...bundle.topics.map((t) => t.id),
  ...bundle.templates.map((t) => t.id),
  ...bundle.cases.map((c) => c.id),
  ...scan.dialogIds,
]);

const missing = (sites: Site[]): string[] => [
  ...new Set(sites.filter((s) => !texts.has(s.key)).map((s) => `${s.key} (${s.at})`)),
];

describe('the scanner', () => {
  const code = `
    // texts.t('core.in_a_comment', lang)
    const a = texts.t(done ? 'plan.first' : 'plan.second', lang, { stage, name: x });
    const b = t('plan.third');
    const c = kb.texts.pair('actions.yes');
    const d = texts.t('core.unknown_values', lang, values);
    if (texts.has('core.help.teams')) use();
    this.addDialog(new WaterfallDialog('plan.steps', []));
    if (dc.activeDialog?.id === 'roleplay.talk') stop();
    const key = \`stages.\${stage}\`;
    const topic = 'refusal.fees';
  `;
  const s = emptyScan();
  scanSource('x.ts', code, s);

  it('reads the keys asked for, through conditionals, not in comments', () => {
    expect(s.asked.map((l) => l.key)).toEqual([
      'plan.first',
      'plan.second',
      'plan.third',
      'actions.yes',
      'core.unknown_values',
    ]);
    expect(s.keyLike.map((l) => l.key)).not.toContain('core.in_a_comment');
  });

  it('reads the values given: named ones, none, or unknown (a variable)', () => {
    const values = Object.fromEntries(s.asked.map((l) => [l.key, l.values]));
    expect(values['plan.first']).toEqual(['name', 'stage']);
    expect(values['plan.third']).toEqual([]);
    expect(values['core.unknown_values']).toBeUndefined();
  });

  it('tells dialog ids, probes and run-time keys from texts', () => {
    expect([...s.dialogIds].sort()).toEqual(['plan.steps', 'roleplay.talk']);
    expect(s.probed.map((l) => l.key)).toEqual(['core.help.teams']);
    expect([...s.prefixes]).toEqual(['stages.']);
    expect(s.keyLike.map((l) => l.key)).toContain('refusal.fees');
  });
});

describe('knowledge/ui against the code', () => {
  it('the code was read (the scan found the texts it asks for)', () => {
    expect(scan.asked.length).toBeGreaterThan(20);
  });

  it('the validator finds nothing wrong with knowledge/ui', () => {
    const ui = problems.filter((p) => p.file.startsWith(UI_DIR + sep));
    expect(ui).toEqual([]);
  });

  it('every text is there in both languages, with the same {values} in each', () => {
    const wrong: string[] = [];
    for (const key of texts.keys()) {
      const { zh, en } = texts.pair(key);
      if (zh.trim() === '' || en.trim() === '') wrong.push(`${key}: empty`);
      if (uiPlaceholders(zh).join() !== uiPlaceholders(en).join()) wrong.push(`${key}: {values} differ`);
    }
    expect(wrong).toEqual([]);
  });

  it('texts keep the spaces they were written with', () => {
    expect(texts.pair('core.source_separator').en).toBe('; ');
    expect(texts.pair('stages.map_challenges').zh).toBe('  ↳ 挑战');
  });

  it('every key the code asks for (.t, .pair) exists', () => {
    expect(missing(scan.asked)).toEqual([]);
  });

  it('every literal shaped like a ui key exists, unless it is a topic, template, case or dialog id', () => {
    expect(missing(scan.keyLike.filter((s) => !otherIds.has(s.key)))).toEqual([]);
  });

  it('every text the code fills is given exactly the {values} it takes', () => {
    const takes = (key: string): string[] => [...new Set(uiPlaceholders(texts.pair(key).zh))];
    const wrong = scan.asked
      .filter((l) => l.values !== undefined && texts.has(l.key))
      .filter((l) => takes(l.key).join() !== (l.values ?? []).join())
      .map((l) => `${l.key} (${l.at}): takes {${takes(l.key).join(', ')}}, given {${(l.values ?? []).join(', ')}}`);
    expect(wrong).toEqual([]);
  });

  it('lists the texts no code names yet (a warning, not a failure, outside the rendering modules)', () => {
    const named = new Set([...scan.asked, ...scan.probed, ...scan.keyLike].map((s) => s.key));
    const used = (key: string): boolean =>
      named.has(key) ||
      [...scan.prefixes].some((p) => key.startsWith(p)) ||
      // A channel's own form (`core.help.slack`) is picked at run time by its base key.
      (key.includes('.', key.indexOf('.') + 1) && used(key.slice(0, key.lastIndexOf('.'))));
    const unused = texts.keys().filter((k) => !used(k));
    if (unused.length > 0) {
      const byFile = new Map<string, string[]>();
      for (const k of unused) {
        const file = k.slice(0, k.indexOf('.'));
        byFile.set(file, [...(byFile.get(file) ?? []), k.slice(file.length + 1)]);
      }
      console.warn(
        `${unused.length} of ${texts.keys().length} interface texts are not named in ${CODE_DIRS.join('/, ')}/ yet:\n` +
          [...byFile].map(([file, keys]) => `  ${file}: ${keys.join(', ')}`).join('\n'),
      );
    }
    // The rendering modules' own files are all in use already.
    expect(unused.filter((k) => /^(plan|debrief|render|cards|stages)\./.test(k))).toEqual([]);
  });
});
