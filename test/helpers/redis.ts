/**
 * A real redis-server for tests, on a free loopback port, with append-only persistence so that a
 * killed and restarted server keeps its data. The test installs nothing: redis-server must be on
 * the PATH (.ci/run installs Debian's package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { tempDir } from './tmp';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** The server's data folder (its append-only file: every write, as written). */
  dir: string;
  /** Kills the server (SIGKILL: no goodbye, like a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPing(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch {
      client.disconnect();
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('coach-redis-');
  let proc: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    proc.once('error', (err) => {
      throw new Error(`redis-server could not start (is it installed?): ${err.message}`);
    });
    await waitForPing(port);
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir: dir.dir,
    kill,
    restart: launch,
    async stop() {
      await kill();
      dir.cleanup();
    },
  };
}
