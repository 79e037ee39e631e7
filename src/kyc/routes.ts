// /api/ingest (upload, jobs, rejects) and /api/clients (exact lookup, masked detail).
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { registerUploadRoutes } from '../platform/http.ts';
import type { App, RouteModule } from '../platform/http.ts';
import { AppError } from '../platform/errors.ts';
import { anyStaff, describePrincipal, operators } from '../auth/roles.ts';
import type { IngestRunner } from './ingest/ingest-job.ts';
import type { ClientLookup } from './client-lookup.ts';

export type KycRouteDeps = {
  ingest: IngestRunner;
  clients: ClientLookup;
  uploadDir: string;
  uploadLimitBytes: number;
  /** Queues a job to run in the background (one at a time per process). */
  enqueue(jobId: string): void;
};

const JobSchema = Type.Object({
  id: Type.String(), source: Type.String(), status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed'), Type.Literal('interrupted')]), format: Type.Union([Type.String(), Type.Null()]), content: Type.Union([Type.Literal('kyc'), Type.Literal('backoffice'), Type.Null()]), read: Type.Integer(), accepted: Type.Integer(),
  updated: Type.Integer(), unchanged: Type.Integer(), rejected: Type.Integer(), duplicate: Type.Integer(), events: Type.Integer(),
  bytes: Type.Union([Type.Integer(), Type.Null()]), bytesRead: Type.Integer(), ratePerSec: Type.Union([Type.Integer(), Type.Null()]),
  etaSeconds: Type.Union([Type.Integer(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]), finishedAt: Type.Union([Type.String(), Type.Null()]),
  rejectsByRule: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});
const Masked = Type.Record(Type.String(), Type.Unknown());
const ClientSummary = Type.Object({ id: Type.String(), masked: Masked, kraStatus: Type.String(), riskCategory: Type.String(), sourceVersion: Type.Integer(), updatedAt: Type.String() });

export function kycRoutes(deps: KycRouteDeps): RouteModule {
  return async (app: App) => {
    await registerUploadRoutes(app, { fileSize: deps.uploadLimitBytes, files: 1, fields: 4, fieldSize: 64 * 1024 }, (uploads) => {
      uploads.post('/api/ingest', {
        config: { access: { roles: operators, scopes: ['ingest:write'] } },
        schema: { tags: ['ingestion'], summary: 'Upload a KYC or back-office file (CSV, XLSX or JSONL) as multipart `file`; it is ingested in the background', consumes: ['multipart/form-data'], response: { 202: Type.Object({ id: Type.String() }) } },
      }, async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data with a `file` field');
        const part = await request.file({ limits: { fileSize: deps.uploadLimitBytes, files: 1 } });
        if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', 'no file uploaded: send it in a `file` field', { details: [{ field: 'file', rule: 'required' }] });
        await mkdir(deps.uploadDir, { recursive: true, mode: 0o700 });
        // Kept until the job completes: a restarted platform resumes the job from this copy.
        const stored = path.join(deps.uploadDir, `${randomUUID()}${path.extname(part.filename || '').toLowerCase().slice(0, 6)}`);
        try {
          await pipeline(part.file, createWriteStream(stored, { mode: 0o600 }));
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${deps.uploadLimitBytes} bytes`);
        } catch (error) {
          await rm(stored, { force: true });
          throw error;
        }
        const id = await deps.ingest.create({ source: path.basename(part.filename || 'upload').slice(0, 200), filePath: stored, createdBy: describePrincipal(request.principal) });
        deps.enqueue(id);
        return reply.status(202).send({ id });
      });
    });

    app.get('/api/ingest', {
      config: { access: { roles: operators } },
      schema: { tags: ['ingestion'], summary: 'Recent ingestion jobs', response: { 200: Type.Object({ items: Type.Array(JobSchema) }) } },
    }, async () => ({ items: await deps.ingest.list(30) }));

    app.get('/api/ingest/:id', {
      config: { access: { roles: operators } },
      schema: { tags: ['ingestion'], summary: 'One job with live progress (read, accepted, updated, unchanged, rejected, duplicate, rate, ETA) and rejects by rule', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: JobSchema } },
    }, async (request) => {
      const job = await deps.ingest.get(request.params.id);
      if (!job) throw new AppError('NOT_FOUND', 'no ingestion job with this id');
      return job;
    });

    app.get('/api/ingest/:id/rejects.csv', {
      config: { access: { roles: operators } },
      schema: { tags: ['ingestion'], summary: 'Rejected rows as CSV: sheet, row, field, rule, message (never the value)', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    }, async (request, reply) => {
      if (!(await deps.ingest.get(request.params.id))) throw new AppError('NOT_FOUND', 'no ingestion job with this id');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ingest-rejects-${request.params.id}.csv"`).send(Readable.from(deps.ingest.rejectsCsv(request.params.id)));
    });

    app.get('/api/clients', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['clients'], summary: 'Exact lookup by one of pan, mobile, email, clientCode (through blind indexes); masked results',
        querystring: Type.Object({ pan: Type.Optional(Type.String({ maxLength: 20 })), mobile: Type.Optional(Type.String({ maxLength: 20 })), email: Type.Optional(Type.String({ maxLength: 100 })), clientCode: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ClientSummary) }) },
      },
    }, async (request) => ({ items: await deps.clients.find(request.query) }));

    app.get('/api/clients/:code', {
      config: { access: { roles: anyStaff } },
      schema: {
        tags: ['clients'], summary: 'One client, masked, with KYC status history', params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }) }),
        response: {
          200: Type.Object({
            id: Type.String(), masked: Masked, kraStatus: Type.String(), riskCategory: Type.String(), sourceVersion: Type.Integer(), updatedAt: Type.String(),
            profile: Type.Record(Type.String(), Type.Unknown()), sourceSystem: Type.String(), sourceAsOf: Type.String(), createdAt: Type.String(),
            statusHistory: Type.Array(Type.Object({ kraStatus: Type.String(), kraStatusDate: Type.Union([Type.String(), Type.Null()]), sourceVersion: Type.Integer(), recordedAt: Type.String() })),
          }),
        },
      },
    }, async (request) => {
      const client = await deps.clients.get(request.params.code);
      if (!client) throw new AppError('NOT_FOUND', 'no client with this code');
      return client;
    });
  };
}
