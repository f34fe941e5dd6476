/**
 * The baseline for the HTTP benchmark: a bare botbuilder echo bot that keeps conversation state
 * (botbuilder's ConversationState on its MemoryStorage), on the same adapter (CloudAdapter, same
 * authentication setup) and the same HTTP framework and body limit as `coach serve`. Run as its
 * own process: `node dist/bench/bareEchoServer.js` with PORT set.
 */
import express from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConversationState,
  MemoryStorage,
} from 'botbuilder';
import { EchoBot } from './echoBot';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new EchoBot(new ConversationState(new MemoryStorage()));
const app = express();
app.post('/api/messages', express.json({ limit: '256kb' }), (req, res) =>
  adapter.process(req, res, (ctx) => bot.run(ctx)),
);
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(
    `bare echo listening on ${typeof address === 'object' && address ? address.port : ''}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
