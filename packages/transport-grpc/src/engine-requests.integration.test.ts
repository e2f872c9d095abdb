import { Status } from 'nice-grpc-common';
import { expectTransportError } from './__fixtures__/expect-transport-error.js';
import { openRawSession, testEngineConstants } from './__fixtures__/raw-session.js';
import type { DcmAnswer, DcmObject, DcmRequest } from './dcm-request.js';
import type { EngineRunOptions } from './engine-run.js';
import type { sdk } from './gen/sdk.js';
import { errorCodeTrailerKey } from './internal/service-definition.js';
import { connectToPlugin } from './plugin-connection.js';
import type { PluginProvider } from './plugin-provider.js';
import { type PluginServerOptions, startPluginServer } from './plugin-server.js';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A plugin that only hands its provider to the test, so the test makes the requests itself. */
function capturingPlugin() {
  let resolveProvider: (provider: PluginProvider) => void = () => undefined;
  const provider = new Promise<PluginProvider>((resolve) => {
    resolveProvider = resolve;
  });
  class CapturingPlugin {
    constructor(received: PluginProvider) {
      resolveProvider(received);
    }
  }
  return { CapturingPlugin, provider };
}

/** A real server and engine on 127.0.0.1:0; the run stays open until the test completes it. */
async function openRun(runOptions: EngineRunOptions = {}, serverOptions: PluginServerOptions = {}) {
  const { CapturingPlugin, provider } = capturingPlugin();
  const server = await startPluginServer(CapturingPlugin, { host: '127.0.0.1', port: 0, ...serverOptions });
  cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
  const connection = connectToPlugin({ address: `127.0.0.1:${server.port}` });
  cleanups.push(() => connection.close());
  const run = connection.startRun({ outgoingAnchors: [{ name: 'Output' }], ...runOptions });
  return { run, provider: await provider };
}

const target = { connectionId: 'conn-7', credentialRole: 'user', secretType: 'oauthToken' };
const richValue: DcmObject = {
  name: 'warehouse',
  port: 5432,
  ratio: 0.5,
  ssl: true,
  proxy: null,
  hosts: ['a.example', 'b.example'],
  options: { retries: 3, backoff: { factorMs: 250, jitter: false }, codes: [1, 2, [3]] },
};

describe('password decryption between a real engine and plugin', () => {
  it('round-trips through the engine handler', async () => {
    const seen: string[] = [];
    const { run, provider } = await openRun({
      decryptPassword: async (encrypted) => {
        seen.push(encrypted);
        return `plain(${encrypted})`;
      },
    });
    await expect(provider.io.decryptPassword('0xCAFE')).resolves.toBe('plain(0xCAFE)');
    expect(seen).toEqual(['0xCAFE']);
    await run.complete();
    await run.finished;
  });

  it('answers with the value unchanged without a handler (no vault)', async () => {
    const { run, provider } = await openRun();
    await expect(provider.io.decryptPassword('secret-as-stored')).resolves.toBe('secret-as-stored');
    await run.complete();
    await run.finished;
  });

  it('ends the run when the handler throws: typed on both sides', async () => {
    const { run, provider } = await openRun({
      decryptPassword: () => {
        throw new Error('vault locked');
      },
    });
    const pluginSide = expectTransportError(provider.io.decryptPassword('x'), 'TRANSPORT_CANCELLED');
    const engineSide = await expectTransportError(run.finished, 'TRANSPORT_PROTOCOL');
    expect(engineSide.message).toContain('vault locked');
    await pluginSide;
  });

  it('rejects with TRANSPORT_CANCELLED when the call is aborted, and ignores the late answer', async () => {
    let release: () => void = () => undefined;
    const { run, provider } = await openRun({
      decryptPassword: (encrypted) =>
        encrypted === 'slow' ? new Promise((resolve) => (release = () => resolve(encrypted))) : encrypted,
    });
    const controller = new AbortController();
    const call = provider.io.decryptPassword('slow', { signal: controller.signal });
    controller.abort();
    await expectTransportError(call, 'TRANSPORT_CANCELLED');
    release();
    // Control is ordered: the late answer reaches the plugin before this one, and is dropped quietly
    // (not reported as an unknown msg_id, which would end the session).
    await expect(provider.io.decryptPassword('next')).resolves.toBe('next');
    await run.complete();
    await run.finished;
  });
});

describe('DCM requests between a real engine and plugin', () => {
  it('round-trips every operation with Struct values in both directions', async () => {
    const requests: DcmRequest[] = [];
    const { run, provider } = await openRun({
      dcm: (request) => {
        requests.push(request);
        return { success: true, response: { ...richValue, echo: request.kind } };
      },
    });
    const io = provider.io;
    await expect(io.getConnection('conn-7')).resolves.toEqual({ ...richValue, echo: 'getConnection' });
    await expect(
      io.getWriteLock({ ...target, expiresIn: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) }),
    ).resolves.toEqual({
      ...richValue,
      echo: 'lockSecret',
    });
    await expect(io.freeWriteLock({ ...target, lockId: 'lock-1' })).resolves.toEqual({
      ...richValue,
      echo: 'unlockSecret',
    });
    await expect(
      io.updateConnectionSecret({
        ...target,
        lockId: 'lock-1',
        value: 'new-token',
        expiresOn: '2030-06-01T00:00:00',
        parameters: richValue,
      }),
    ).resolves.toEqual({ ...richValue, echo: 'updateSecret' });
    await run.complete();
    await run.finished;
    expect(requests).toEqual([
      { kind: 'getConnection', connectionId: 'conn-7' },
      { kind: 'lockSecret', ...target, expiresIn: '2030-01-02T03:04:05.000Z' },
      { kind: 'unlockSecret', ...target, lockId: 'lock-1' },
      {
        kind: 'updateSecret',
        ...target,
        lockId: 'lock-1',
        value: 'new-token',
        expiresOn: '2030-06-01T00:00:00',
        parameters: richValue,
      },
    ]);
  });

  it('chains lock, update and unlock in getLockAndUpdateSecret, and frees the lock when the update fails', async () => {
    const log: string[] = [];
    let failUpdate = false;
    const { run, provider } = await openRun({
      dcm: (request): DcmAnswer => {
        log.push(`${request.kind}${'lockId' in request ? `(${request.lockId})` : ''}`);
        if (request.kind === 'lockSecret') return { success: true, response: { secretLockId: 'L-42' } };
        if (request.kind === 'updateSecret' && failUpdate) {
          return { success: false, response: { message: 'secret rejected', errorCode: 4001 } };
        }
        return { success: true, response: { done: request.kind } };
      },
    });
    const params = { ...target, value: 'v', parameters: { scope: ['read'] } };
    await expect(provider.io.getLockAndUpdateSecret(params)).resolves.toEqual({
      secretLockId: 'L-42',
      update: { done: 'updateSecret' },
      unlock: { done: 'unlockSecret' },
    });
    failUpdate = true;
    const error = await expectTransportError(
      provider.io.getLockAndUpdateSecret(params),
      'TRANSPORT_DCM_FAILED',
    );
    expect(error.dcmResponse).toEqual({ message: 'secret rejected', errorCode: 4001 });
    expect(log).toEqual([
      'lockSecret',
      'updateSecret(L-42)',
      'unlockSecret(L-42)',
      'lockSecret',
      'updateSecret(L-42)',
      'unlockSecret(L-42)',
    ]);
    await run.complete();
    await run.finished;
  });

  it('rejects with TRANSPORT_DCM_FAILED on success:false, a throwing handler, or no handler; the run goes on', async () => {
    let mode: 'refuse' | 'throw' = 'refuse';
    const { run, provider } = await openRun({
      dcm: () => {
        if (mode === 'throw') throw new RangeError('dcm backend down');
        return {
          success: false,
          response: { message: 'no such connection', errorCode: 404, detail: { id: 'x' } },
        };
      },
    });
    const refused = await expectTransportError(provider.io.getConnection('x'), 'TRANSPORT_DCM_FAILED');
    expect(refused.dcmResponse).toEqual({
      message: 'no such connection',
      errorCode: 404,
      detail: { id: 'x' },
    });
    mode = 'throw';
    const thrown = await expectTransportError(provider.io.getConnection('x'), 'TRANSPORT_DCM_FAILED');
    expect(thrown.dcmResponse?.message).toContain('dcm backend down');
    await run.complete();
    await run.finished;

    const withoutHandler = await openRun();
    const none = await expectTransportError(
      withoutHandler.provider.io.getConnection('x'),
      'TRANSPORT_DCM_FAILED',
    );
    expect(typeof none.dcmResponse?.message).toBe('string');
    await withoutHandler.run.complete();
    await withoutHandler.run.finished;
  });

  it('refuses parameters a Struct cannot carry before anything is sent', async () => {
    const requests: DcmRequest[] = [];
    const { run, provider } = await openRun({
      dcm: (request) => {
        requests.push(request);
        return { success: true };
      },
    });
    await expectTransportError(
      provider.io.updateConnectionSecret({
        ...target,
        lockId: 'l',
        value: 'v',
        parameters: { when: Number.NaN },
      }),
      'TRANSPORT_CONFIG',
    );
    await run.complete();
    await run.finished;
    expect(requests).toEqual([]);
  });

  it('correlates concurrent requests by msg_id when answers come back in another order', async () => {
    const { run, provider } = await openRun({
      // The first request is answered last, the last first.
      dcm: async (request) => {
        const index = Number((request as { connectionId: string }).connectionId.slice(1));
        await new Promise((resolve) => setTimeout(resolve, (8 - index) * 5));
        return { success: true, response: { index } };
      },
      decryptPassword: async (encrypted) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return encrypted.toUpperCase();
      },
    });
    const calls = Array.from({ length: 8 }, (_, index) => provider.io.getConnection(`c${index}`));
    const passwords = ['ab', 'cd'].map((text) => provider.io.decryptPassword(text));
    await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 8 }, (_, index) => ({ index })));
    await expect(Promise.all(passwords)).resolves.toEqual(['AB', 'CD']);
    await run.complete();
    await run.finished;
  });
});

describe('request/response correlation on the wire (hand-driven engine)', () => {
  async function rawSession() {
    const { CapturingPlugin, provider } = capturingPlugin();
    const server = await startPluginServer(CapturingPlugin, { host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.shutdown({ timeoutMs: 1_000 }));
    const raw = openRawSession(server.port);
    cleanups.push(() => raw.close());
    await raw.control.push({ pluginInitializationData: { engineConstants: testEngineConstants } });
    return { raw, provider: await provider };
  }

  async function requestsSeen(raw: Awaited<ReturnType<typeof rawSession>>['raw'], count: number) {
    while (raw.controlOut.filter((message) => message.msgId).length < count) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return raw.controlOut.filter((message) => message.msgId) as sdk.ControlOut[];
  }

  it('sends a fresh UUIDv4 msg_id per request and matches answers sent in reverse order', async () => {
    const { raw, provider } = await rawSession();
    const connection = provider.io.getConnection('conn-1');
    const password = provider.io.decryptPassword('enc');
    const [dcmRequest, passwordRequest] = await requestsSeen(raw, 2);
    expect(dcmRequest?.dcmERequest?.v2?.getConnection?.connectionId).toBe('conn-1');
    expect(passwordRequest?.decryptPassword?.password).toBe('enc');
    expect(dcmRequest?.msgId).toMatch(uuidV4);
    expect(passwordRequest?.msgId).toMatch(uuidV4);
    expect(dcmRequest?.msgId).not.toBe(passwordRequest?.msgId);
    await raw.control.push({ decryptedPassword: { password: 'dec' }, msgId: passwordRequest?.msgId });
    await raw.control.push({
      dcmEResponse: {
        success: true,
        response: {
          fields: {
            host: { stringValue: 'db' },
            nested: { structValue: { fields: { on: { boolValue: true }, none: { nullValue: 0 } } } },
          },
        },
      },
      msgId: dcmRequest?.msgId,
    });
    await expect(password).resolves.toBe('dec');
    await expect(connection).resolves.toEqual({ host: 'db', nested: { on: true, none: null } });
  });

  it('ends the session with TRANSPORT_UNKNOWN_MSG_ID for a DCM or password answer nobody asked for', async () => {
    const { raw } = await rawSession();
    await raw.control.push({ dcmEResponse: { success: true }, msgId: 'not-a-request' });
    const controlEnd = await raw.controlEnd;
    expect(controlEnd.code).toBe(Status.INVALID_ARGUMENT);
    expect(controlEnd.trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_UNKNOWN_MSG_ID');

    const second = await rawSession();
    await second.raw.control.push({ decryptedPassword: { password: 'x' }, msgId: 'also-unknown' });
    expect((await second.raw.controlEnd).trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_UNKNOWN_MSG_ID');
  });

  it('ends the session with TRANSPORT_PROTOCOL when an answer is of the wrong kind for its msg_id', async () => {
    const { raw, provider } = await rawSession();
    const password = provider.io.decryptPassword('enc');
    const [request] = await requestsSeen(raw, 1);
    await raw.control.push({ dcmEResponse: { success: true }, msgId: request?.msgId });
    await expectTransportError(password, 'TRANSPORT_PROTOCOL');
    expect((await raw.controlEnd).trailer?.get(errorCodeTrailerKey)).toBe('TRANSPORT_PROTOCOL');
  });
});
