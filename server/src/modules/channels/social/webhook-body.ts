import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError, validation, type FieldError } from '../../../platform/errors.js';

const raws = new WeakMap<FastifyRequest, Buffer>();

/**
 * Webhook signatures cover the body byte for byte, so webhook routes keep the raw body (JSON is
 * parsed only after the signature holds) and do no schema validation before the handler.
 */
export function keepRawBody(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    raws.set(req, body as Buffer);
    done(null, body);
  });
}

export function rawBodyOf(req: FastifyRequest): Buffer {
  return raws.get(req) ?? Buffer.alloc(0);
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new AppError('bad_request', 400, 'Bad JSON', { params: { reason: `the body is not JSON: ${(err as Error).message}` } });
  }
}

/** Checks a parsed webhook body against its schema, naming each bad field the way the API does. */
export function checkBody<T>(schema: TSchema, value: unknown): T {
  if (Value.Check(schema, value)) return value as T;
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value) as unknown as { keyword: string; instancePath: string; params: Record<string, unknown>; message: string }[]) {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const fe: FieldError =
      e.keyword === 'required'
        ? { field: [base, String((e.params.requiredProperties as string[] | undefined)?.[0] ?? e.params.missingProperty ?? '')].filter(Boolean).join('.'), code: 'required' }
        : e.keyword === 'additionalProperties'
          ? { field: [base, String((e.params.additionalProperties as string[] | undefined)?.[0] ?? e.params.additionalProperty ?? '')].filter(Boolean).join('.'), code: 'unknown', params: { name: base } }
          : { field: base, code: 'invalid', params: { reason: e.message } };
    const key = `${fe.field}|${fe.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(fe);
    }
  }
  throw validation(errors);
}
