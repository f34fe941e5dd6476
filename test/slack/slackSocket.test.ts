/**
 * Socket Mode: the real Bolt app and Socket Mode client, pointed (through SLACK_API_URL) at a
 * local stand-in that hands out the address of a local WebSocket server playing Slack.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSocketModeChannel } from '../../src/channels/slack/slackSocket';
import { createLogger } from '../../src/log/logger';
import { createApp } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import {
  RESPONSE,
  eventBody,
  dm,
  shownText,
  slackApiStub,
  slashCommand,
  sleep,
  type SlackApiStub,
} from './slackHelpers';

interface SocketSlack {
  api: SlackApiStub;
  ws: WebSocket;
  acks: string[];
  send(envelope: Record<string, unknown>): void;
  stop(): Promise<void>;
}

/** Starts the coach in Socket Mode against a local Slack; `acks` collects acknowledged envelopes. */
async function socketSlack(): Promise<SocketSlack> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  const acks: string[] = [];
  const connected = new Promise<WebSocket>((resolve) => {
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string };
        if (msg.envelope_id) acks.push(msg.envelope_id);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      resolve(ws);
    });
  });
  const api = await slackApiStub({ socketUrl });
  const logger = createLogger({}, 'error');
  const runtime = await createApp({ storage: new MemoryStorage(), logger });
  const channel = createSocketModeChannel(
    runtime,
    { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: api.apiUrl },
    logger,
  );
  await channel.app.start();
  const ws = await connected;
  return {
    api,
    ws,
    acks,
    send: (envelope) => ws.send(JSON.stringify(envelope)),
    async stop() {
      await channel.app.stop();
      await runtime.close();
      await api.close();
      wss.close();
    },
  };
}

describe('Slack over Socket Mode', () => {
  it('connects, takes an event over the socket, acks it and answers through the Web API', async () => {
    const slack = await socketSlack();
    try {
      expect(slack.api.calls.find((c) => c.method === 'apps.connections.open')).toBeDefined();
      slack.send({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: JSON.parse(eventBody(dm('你好'))),
      });
      const [post] = await slack.api.waitForMethod('chat.postMessage');
      expect(slack.acks).toContain('env-1');
      expect(shownText(post!)).toContain('协商教练');
    } finally {
      await slack.stop();
    }
  });

  it('answers /coach help ephemerally, and acks a replayed command without running it again', async () => {
    const slack = await socketSlack();
    try {
      const payload = Object.fromEntries(new URLSearchParams(slashCommand(slack.api, 'help')));
      const envelope = { type: 'slash_commands', accepts_response_payload: true, payload };
      slack.send({ envelope_id: 'env-cmd-1', ...envelope });
      const [answer] = await slack.api.waitForMethod(RESPONSE);
      expect(answer?.args.response_type).toBe('ephemeral');
      expect(shownText(answer!)).toContain('/coach roleplay');
      // The same command again (same trigger_id) in a new envelope: acked, not run.
      slack.send({ envelope_id: 'env-cmd-2', ...envelope });
      const deadline = Date.now() + 5000;
      while (!slack.acks.includes('env-cmd-2') && Date.now() < deadline) await sleep(20);
      expect(slack.acks).toEqual(expect.arrayContaining(['env-cmd-1', 'env-cmd-2']));
      await sleep(500);
      expect(slack.api.calls.filter((c) => c.method === RESPONSE)).toHaveLength(1);
      expect(slack.api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
    } finally {
      await slack.stop();
    }
  });
});
