/**
 * Socket Mode start-up: the real Bolt app and Socket Mode client, pointed (through SLACK_API_URL)
 * at a local stand-in that hands out the address of a local WebSocket server playing Slack.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSocketModeChannel } from '../../src/channels/slack/slackSocket';
import { createLogger } from '../../src/log/logger';
import { createRuntime } from '../../src/runtime/createRuntime';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { eventBody, dm, shownText, slackApiStub } from './slackHelpers';

describe('Slack over Socket Mode', () => {
  it('connects, takes an event over the socket, acks it and answers through the Web API', async () => {
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
    const runtime = await createRuntime({ storage: new MemoryStorage(), logger });
    const channel = createSocketModeChannel(
      runtime,
      { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: api.apiUrl },
      logger,
    );
    try {
      await channel.app.start();
      const ws = await connected;
      const opened = api.calls.find((c) => c.method === 'apps.connections.open');
      expect(opened).toBeDefined();
      ws.send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'events_api',
          accepts_response_payload: false,
          payload: JSON.parse(eventBody(dm('你好'))),
        }),
      );
      const [post] = await api.waitForMethod('chat.postMessage');
      expect(acks).toContain('env-1');
      expect(shownText(post!)).toContain('协商教练');
    } finally {
      await channel.app.stop();
      await runtime.close();
      await api.close();
      wss.close();
    }
  });
});
