import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Settings } from '../config/types.js';
import type { Logger } from '../log.js';
import type { Producer } from '../queue/producer.js';
import type { RedisClient } from '../queue/connection.js';
import type { WorkQueue } from '../queue/queues.js';
import { answers, sendAnswer, type Answer } from './answers.js';
import { BODY_LIMIT_BYTES } from './body.js';
import { createDeliveryDedupe } from './dedupe.js';
import { createDeliveryHandler } from './delivery.js';
import { CLOSE, WEBHOOK_PATH, createFastWebhookHandler, isWebhookRequest } from './fast-path.js';
import { createReadyz, healthz } from './health.js';
import { createWebMetrics, type WebMetrics } from './metrics.js';
import { createRouter } from './routes.js';
import { assertCanServe } from './server.js';
import { mountAdmin } from './admin.js';
import { createSignatureVerifier, createTokenVerifier } from './verify.js';

export interface AppDeps {
  settings: Settings;
  /** Read for the queue-depth gauge. */
  queue: WorkQueue;
  producer: Producer;
  /** The producer connection: delivery dedupe and the readiness PING. */
  redis: RedisClient;
  logger: Logger;
  metrics?: WebMetrics;
  /** The token's user when the runtime knows it; else the command word without "@". */
  botUsername?: string;
  botUserId?: number;
  bodyLimitBytes?: number;
  /** bull-board at /admin/queues; the route exists only when given (ADMIN_TOKEN set). */
  admin?: { adminToken: string; readOnly: boolean };
}

export interface WebApp {
  /** The whole HTTP API, the webhook included: mount it anywhere (bull-board is added to it). */
  express: Express;
  /** What the HTTP server should run: the webhook on its lean path, everything else through express. */
  listener: RequestListener;
  metrics: WebMetrics;
  /** From now on /readyz answers 503 (deliveries are still accepted while the load balancer drains). */
  beginShutdown(): void;
  isShuttingDown(): boolean;
}

/** body-parser's errors: all caused by the sender, so never a 500. */
function bodyParserAnswer(err: unknown, bodyLimit: number): Answer | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.too.large':
      return answers.tooLarge(bodyLimit);
    case 'entity.parse.failed':
      return answers.invalid('malformed JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answers.unsupported((err as Error).message);
    case 'request.aborted':
      return { ...answers.invalid('request aborted'), outcome: 'aborted' };
    default:
      return typeof status === 'number' && status >= 400 && status < 500
        ? { status, outcome: 'invalid', body: { status: 'error', message: (err as Error).message } }
        : undefined;
  }
}

export function createApp(deps: AppDeps): WebApp {
  const { settings, logger } = deps;
  const { env, config } = settings;
  assertCanServe(env);
  if (env.webhookSecrets.length === 0) logger.warn('no WEBHOOK_SECRET: dry run accepts unauthenticated deliveries');

  const metrics = deps.metrics ?? createWebMetrics({ queue: deps.queue });
  const bodyLimit = deps.bodyLimitBytes ?? BODY_LIMIT_BYTES;
  const bot = {
    username: deps.botUsername ?? config.bot.commandWord.replace(/^@/, ''),
    ...(deps.botUserId !== undefined ? { userId: deps.botUserId } : {}),
  };
  const delivery = createDeliveryHandler({
    router: createRouter(config, { bot }),
    producer: deps.producer,
    dedupe: createDeliveryDedupe(deps.redis, env.queuePrefix),
    logger,
    metrics,
    bodyLimit,
    verifyToken: env.webhookSecrets.length > 0 ? createTokenVerifier(env.webhookSecrets) : undefined,
    verifySignature: env.webhookSigningToken ? createSignatureVerifier(env.webhookSigningToken) : undefined,
  });

  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown;

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', healthz);
  app.get('/readyz', createReadyz({ redis: deps.redis, isShuttingDown }));
  app.get('/metrics', async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  });

  // The reference webhook route (the lean path serves it in production; both share DeliveryHandler
  // and the same tests run against both).
  const started = new WeakMap<IncomingMessage, number>();
  app.post(
    WEBHOOK_PATH,
    (req, res, next) => {
      started.set(req, performance.now());
      const early = delivery.preflight(req.headers);
      if (!early) return next();
      sendAnswer(res, early, CLOSE);
      delivery.record(req.headers, early, started.get(req) ?? performance.now());
    },
    express.raw({ type: () => true, limit: bodyLimit, inflate: false }),
    async (req: Request, res: Response) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let answer: Answer;
      try {
        answer = await delivery.process(req.headers, raw);
      } catch (err) {
        answer = delivery.failure(err);
      }
      sendAnswer(res, answer);
      delivery.record(req.headers, answer, started.get(req) ?? performance.now());
    },
  );

  if (deps.admin !== undefined) mountAdmin(app, { queue: deps.queue, ...deps.admin });

  app.use((_req, res) => {
    res.status(404).json({ status: 'error', message: 'not found' });
  });

  // Never a stack trace to the sender; sender-caused body errors keep their 4xx.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = bodyParserAnswer(err, bodyLimit);
    if (isWebhookRequest(req)) {
      const answer = known ?? delivery.failure(err);
      if (answer.outcome !== 'aborted') sendAnswer(res, answer, CLOSE);
      delivery.record(req.headers, answer, started.get(req) ?? performance.now());
      return;
    }
    if (!known) logger.error({ err, path: req.path }, 'request failed');
    sendAnswer(res, known ?? answers.internal());
  });

  const fast = createFastWebhookHandler(delivery, bodyLimit);
  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (isWebhookRequest(req)) fast(req, res);
    else app(req, res);
  };

  return {
    express: app,
    listener,
    metrics,
    beginShutdown() {
      shuttingDown = true;
    },
    isShuttingDown,
  };
}
