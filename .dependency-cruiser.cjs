/**
 * The architecture as a lint rule (npm run lint): no cycles between modules or folders; the
 * conversation core, the flows and the domain know nothing of channels, the app or the store;
 * channels do not reach into each other.
 */
const DOMAIN =
  '^(dialogs|src/(core|conversation|casefile|journey|knowledge|nlu|plan|fees|roleplay|state|privacy|input|i18n|text|util))/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that depend on each other in a circle cannot be understood or tested alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      scope: 'folder',
      severity: 'error',
      comment: 'Folders are layers: a folder may not depend back on a folder that depends on it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-knows-no-channel',
      severity: 'error',
      comment:
        'The core, the flows and the domain never know which channel carried a message, nor the app around them.',
      from: { path: DOMAIN },
      to: { path: '^src/(channels|cli|app)/' },
    },
    {
      name: 'turn-is-synchronous',
      severity: 'error',
      comment: 'A turn runs on records already loaded: the core and the flows never touch the store.',
      from: { path: '^(dialogs|src/(core|conversation))/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'domain-uses-no-transport',
      severity: 'error',
      comment: 'Bot Framework, Slack, HTTP and database clients belong to channels, the app and the stores.',
      from: { path: DOMAIN },
      to: { path: 'node_modules/(botbuilder|botframework-|@slack/|express|ioredis|better-sqlite3|ws/)' },
    },
    {
      name: 'channels-apart',
      severity: 'error',
      comment:
        'A channel is a thin adapter of its own; what two share lives below them (botframework: the activity schema).',
      from: { path: '^src/channels/([^/]+)/', pathNot: '^src/channels/http/' },
      to: { path: '^src/channels/', pathNot: '^src/channels/($1|botframework)/' },
    },
    {
      name: 'http-hosts-web-chat-only',
      severity: 'error',
      comment:
        "coach serve's HTTP server hosts /api/messages and the web chat's Direct Line; Slack is mounted by the CLI.",
      from: { path: '^src/channels/http/' },
      to: { path: '^src/channels/', pathNot: '^src/channels/(http|botframework|directline)/' },
    },
    {
      name: 'code-needs-no-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|generated|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
