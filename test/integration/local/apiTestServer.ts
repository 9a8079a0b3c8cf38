import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { startApiServer } from '../../../local/apiServer';
import type { ApiServer, ApiServerOptions, HealthReport } from '../../../local/apiServer';
import type { ApiHandler } from '../../../local/lambdaHandlers';
import { loadOrCreateLocalKeys } from '../../../local/localKeys';
import type { LocalKeys } from '../../../local/localKeys';

/** The local API server with an in-memory key pair and a recording fake api handler. */
export interface ApiTestServer {
  readonly server: ApiServer;
  readonly baseUrl: string;
  readonly keys: LocalKeys;
  /** Every event the api handler received. */
  readonly events: APIGatewayProxyEventV2WithJWTAuthorizer[];
  /** Replace what the api handler does (default: 200 with the event as JSON). */
  handle(handler: ApiHandler): void;
  setHealth(report: HealthReport): void;
}

export async function startApiTestServer(overrides: Partial<ApiServerOptions> = {}): Promise<ApiTestServer> {
  const keys = loadOrCreateLocalKeys(undefined);
  const events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];
  let current: ApiHandler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
  let health: HealthReport = { ok: true, components: { dynamodb: { status: 'ok' } } };
  const server = await startApiServer({
    port: 0,
    apiHandler: (event, context) => {
      events.push(event);
      return current(event, context);
    },
    jwt: { privateKey: keys.jwtPrivateKey, publicKey: keys.jwtPublicKey, keyId: keys.jwtKeyId },
    health: async () => health,
    errorLog: () => undefined,
    ...overrides,
  });
  return {
    server,
    baseUrl: server.baseUrl,
    keys,
    events,
    handle(handler) {
      current = handler;
    },
    setHealth(report) {
      health = report;
    },
  };
}
