export { TapinClient, decisionOf } from './client.js';
export type {
  ClientOptions,
  CreateOptions,
  Decision,
  HandoffToHumanInput,
  ListHandoffsQuery,
  RequestApprovalInput,
  WaitOptions,
} from './client.js';
export * from './errors.js';
export * from './types.js';
export { Webhook, verifyWebhook, sign as signWebhook, secretKey as webhookSecretKey } from './webhooks.js';
export type { HeaderBag, VerifyOptions } from './webhooks.js';
export { newIdempotencyKey, rateLimitOf } from './http.js';
