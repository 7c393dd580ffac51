import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from './errors.js';
import { createRequire } from 'node:module';
import { Reason, fieldLabel, pickLang, t, type Lang } from './i18n.js';

export function requestLang(req: FastifyRequest): Lang {
  return req.actor?.language ?? pickLang(req.headers['accept-language']) ?? 'en';
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns a JSON-pointer path from ajv (`/shipment/consigneePhone`) into the dotted field name clients use. */
const dotted = (pointer: string) => pointer.replace(/^\//, '').replace(/\//g, '.');

// A CommonJS function whose typings claim an ES default export.
const localizeAr = createRequire(import.meta.url)('ajv-i18n/localize/ar') as (errors: unknown[]) => void;

/** The validator's own words for a refusal, in English and (through ajv-i18n) in Arabic. */
function ajvReason(e: AjvError): Reason {
  const english = e.message ?? e.keyword;
  const copy = [{ ...e }];
  localizeAr(copy);
  return new Reason(english, {}, { en: english, ar: copy[0]!.message ?? english });
}

function fromAjv(errors: AjvError[], context: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const base = dotted(e.instancePath);
    let fe: FieldError;
    if (e.keyword === 'additionalProperties') {
      const name = String(e.params.additionalProperty);
      fe = { field: base ? `${base}.${name}` : name, code: 'unknown', params: { name } };
    } else if (e.keyword === 'required') {
      const name = String(e.params.missingProperty);
      fe = { field: base ? `${base}.${name}` : name, code: 'required' };
    } else {
      fe = { field: base || context || '', code: 'invalid', params: { reason: ajvReason(e) } };
    }
    // anyOf/union schemas repeat one problem several times.
    const key = `${fe.field}|${fe.code}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
}

function localiseField(lang: Lang, e: FieldError) {
  const label = fieldLabel(lang, e.field);
  const message =
    t(lang, `field.${e.code}`, { label, ...e.params }) ?? e.message ?? `${label}: ${e.code}`;
  return { field: e.field, code: e.code, message };
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: AppError) {
  const lang = requestLang(req);
  const body: Record<string, unknown> = {
    type: `https://caredesk.dev/problems/${err.code}`,
    title: t('en', err.code, err.details.params) ?? err.message,
    status: err.status,
    detail: t(lang, err.code, err.details.params) ?? err.message,
    code: err.code,
  };
  if (err.details.errors) body.errors = err.details.errors.map((e) => localiseField(lang, e));
  return reply.status(err.status).type('application/problem+json').send(body);
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError & { validation?: AjvError[] }, req, reply) => {
    if (error instanceof AppError) return sendProblem(reply, req, error);
    if (error.validation) {
      return sendProblem(
        reply,
        req,
        new AppError('validation_failed', 400, 'Validation failed', {
          errors: fromAjv(error.validation, error.validationContext),
        }),
      );
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return sendProblem(reply, req, new AppError('rate_limited', 429));
    if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE' || error.code === 'FST_FILES_LIMIT') {
      return sendProblem(reply, req, new AppError('payload_too_large', 413));
    }
    if (status === 415) return sendProblem(reply, req, new AppError('unsupported_media_type', 415));
    if (status >= 400 && status < 500) {
      return sendProblem(reply, req, new AppError('bad_request', status, error.message, { params: { reason: error.message } }));
    }
    req.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, req, new AppError('internal', 500, 'Internal Server Error'));
  });
}
