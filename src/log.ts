import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger factory: JSON lines on stdout, secrets redacted wherever they could appear
 * (headers of a delivery, the runtime environment, GitLab request options).
 */
export const REDACT_PATHS = [
  'gitlabToken',
  'webhookSecrets',
  'webhookSigningToken',
  'adminToken',
  'env.gitlabToken',
  'env.webhookSecrets',
  'env.webhookSigningToken',
  'env.adminToken',
  'headers["x-gitlab-token"]',
  'headers["private-token"]',
  'headers.authorization',
  'req.headers["x-gitlab-token"]',
  'req.headers.authorization',
  'token',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'handbook-bot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
