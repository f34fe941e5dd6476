/**
 * Outbound clients are built once per (app id, service URL, audience) and reused across turns;
 * a failed build is not kept. (A ConnectorClient per request was ~6% of the server's CPU.)
 */
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type UserTokenClient,
} from 'botframework-connector';
import { ReusingAuthentication } from '../../src/channels/http/reusingAuthentication';

class CountingFactory extends ConnectorFactory {
  constructor(private readonly counts: { created: number; fail: boolean }) {
    super();
  }
  async create(serviceUrl: string): Promise<ConnectorClient> {
    this.counts.created++;
    if (this.counts.fail) throw new Error('no credentials');
    return new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: serviceUrl });
  }
}

class FakeAuth extends BotFrameworkAuthentication {
  readonly counts = { created: 0, fail: false, tokens: 0 };
  private identity(appId: string): ClaimsIdentity {
    return new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
  }
  async authenticateRequest(activity: { recipient?: { id?: string } }): Promise<AuthenticateRequestResult> {
    const claimsIdentity = this.identity(activity.recipient?.id ?? 'bot');
    return {
      claimsIdentity,
      audience: 'aud',
      callerId: '',
      connectorFactory: new CountingFactory(this.counts),
    };
  }
  authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }
  createConnectorFactory(): ConnectorFactory {
    return new CountingFactory(this.counts);
  }
  async createUserTokenClient(): Promise<UserTokenClient> {
    this.counts.tokens++;
    return {} as UserTokenClient;
  }
}

const activity = (recipient: string) => ({ recipient: { id: recipient } }) as never;

/** The connector factory of an authenticated request (the fake always gives one). */
async function factoryFor(auth: ReusingAuthentication, recipient: string): Promise<ConnectorFactory> {
  const result = await auth.authenticateRequest(activity(recipient), '');
  if (!result.connectorFactory) throw new Error('no connector factory');
  return result.connectorFactory;
}

test('the same bot and service URL get the same connector client', async () => {
  const inner = new FakeAuth();
  const auth = new ReusingAuthentication(inner);
  const a = await factoryFor(auth, 'bot');
  const b = await factoryFor(auth, 'bot');
  const c1 = await a.create('https://a.example/', 'aud');
  const c2 = await b.create('https://a.example/', 'aud');
  expect(c2).toBe(c1);
  expect(inner.counts.created).toBe(1);
  const other = await b.create('https://b.example/', 'aud');
  expect(other).not.toBe(c1);
  const otherBot = await (await factoryFor(auth, 'bot2')).create('https://a.example/', 'aud');
  expect(otherBot).not.toBe(c1);
  expect(inner.counts.created).toBe(3);
});

test('a failed build is tried again on the next turn', async () => {
  const inner = new FakeAuth();
  inner.counts.fail = true;
  const auth = new ReusingAuthentication(inner);
  const a = await factoryFor(auth, 'bot');
  await expect(a.create('https://a.example/', 'aud')).rejects.toThrow('no credentials');
  inner.counts.fail = false;
  const b = await factoryFor(auth, 'bot');
  await expect(b.create('https://a.example/', 'aud')).resolves.toBeInstanceOf(ConnectorClient);
  expect(inner.counts.created).toBe(2);
});

test('user token clients are reused per app id', async () => {
  const inner = new FakeAuth();
  const auth = new ReusingAuthentication(inner);
  const id = (appId: string) =>
    new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
  const t1 = await auth.createUserTokenClient(id('bot'));
  const t2 = await auth.createUserTokenClient(id('bot'));
  await auth.createUserTokenClient(id('other'));
  expect(t2).toBe(t1);
  expect(inner.counts.tokens).toBe(2);
});
