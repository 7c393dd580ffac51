import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  ArchiveQuery,
  ArchivedReport,
  ArchivedReportSummary,
  GenerateReportBody,
  GenerateReportResult,
  PutReportRecipientsBody,
  ReportKindParams,
  ReportLangQuery,
  ReportRecipients,
  page,
} from '@caredesk/contracts';
import type { ApiTypeProvider } from '../../../platform/type-provider.js';
import { authed } from '../../auth/index.js';
import { archivedPdf, fileName, generateOnDemand, getArchived, getRecipients, listArchive, putRecipients } from './archive.js';
import { reportCsv } from './csv.js';
import { renderReportHtml } from './render.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export async function scheduledReportsRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ApiTypeProvider>();
  const tags = ['reports'];

  api.get('/reports/archive', { schema: { tags, querystring: ArchiveQuery, response: { 200: page(ArchivedReportSummary) } } }, async (req) => listArchive(authed(req), req.query));
  api.post('/reports/archive', { schema: { tags, body: GenerateReportBody, response: { 200: GenerateReportResult, 201: GenerateReportResult } } }, async (req, reply) => {
    const r = await generateOnDemand(authed(req), req.body);
    return reply.status(r.created ? 201 : 200).send(r);
  });
  api.get('/reports/archive/:id', { schema: { tags, params: IdParams, response: { 200: ArchivedReport } } }, async (req) => getArchived(authed(req), req.params.id));
  api.get('/reports/archive/:id/export.csv', { schema: { tags, params: IdParams, querystring: ReportLangQuery } }, async (req, reply) => {
    const r = await getArchived(authed(req), req.params.id);
    const lang = req.query.lang ?? 'en';
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileName(r, lang, 'csv')}"`)
      .header('Cache-Control', 'private, no-store')
      .send(reportCsv(r.data, lang));
  });
  api.get('/reports/archive/:id/report.pdf', { schema: { tags, params: IdParams, querystring: ReportLangQuery } }, async (req, reply) => {
    const lang = req.query.lang ?? authed(req).lang ?? 'en';
    const { report, pdf } = await archivedPdf(authed(req), req.params.id, lang === 'ar' ? 'ar' : 'en');
    return reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${fileName(report, lang, 'pdf')}"`)
      .header('Cache-Control', 'private, no-store')
      .send(pdf);
  });
  // The printable page itself (what the PDF and the email show), for a browser's own print.
  api.get('/reports/archive/:id/report.html', { schema: { tags, params: IdParams, querystring: ReportLangQuery } }, async (req, reply) => {
    const r = await getArchived(authed(req), req.params.id);
    const lang = req.query.lang ?? 'en';
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .header('Cache-Control', 'private, no-store')
      .send(renderReportHtml(r.data, lang, r.generatedAt));
  });
  api.get('/reports/recipients', { schema: { tags, response: { 200: ReportRecipients } } }, async (req) => getRecipients(authed(req)));
  api.put('/reports/recipients/:kind', { schema: { tags, params: ReportKindParams, body: PutReportRecipientsBody, response: { 200: ReportRecipients } } }, async (req) =>
    putRecipients(authed(req), req.params.kind, req.body.recipients),
  );
}
