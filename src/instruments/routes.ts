// /api/instruments: search, detail with the live quote, intraday chart, quote stream (SSE), imports.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Type } from 'typebox';
import { registerUploadRoutes } from '../platform/http.ts';
import type { App, RouteModule } from '../platform/http.ts';
import { AppError } from '../platform/errors.ts';
import type { Clock } from '../platform/time.ts';
import { anyStaff, describePrincipal, operators } from '../auth/roles.ts';
import type { InstrumentIndex } from './instrument-index.ts';
import type { QuoteService } from './quote-service.ts';
import type { ImportRunner } from './import-job.ts';
import { parseColumnMapping } from './import/formats/column-mapping.ts';
import type { ColumnMapping } from './import/formats/column-mapping.ts';
import { InstrumentSchema, QuoteSchema, ImportSummarySchema, SearchResponseSchema } from './schemas.ts';

export type InstrumentRouteDeps = {
  index: InstrumentIndex;
  quotes: QuoteService;
  imports: ImportRunner;
  clock: Clock;
  uploadLimitBytes: number;
  /** Tracks background imports so a graceful stop waits for them. */
  track(job: Promise<unknown>): void;
};

const readers = { roles: anyStaff, scopes: ['instruments:read'] as const };
const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const IdParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 120 }) });

// Search responses are written with JSON.stringify, not the schema's compiled serializer: for a page of
// 20 hits that built ~17 KB of intermediate strings (a third of what a search request allocated) where
// JSON.stringify builds the 2-3 KB answer directly, and the JSON is byte for byte the same. It is the
// same because every object in the answer has exactly the schema's fields in its order: the route
// builds the top level, the engine its hits, matches and facets, and the index holds each instrument
// with exactly the Instrument fields (exactInstrument); test/instruments/api.test.ts compares answers
// with what the schema's serializer writes. The schema still documents the answer (OpenAPI).
const serializeSearch = () => (data: unknown) => JSON.stringify(data);

export function instrumentRoutes(deps: InstrumentRouteDeps): RouteModule {
  const { index, quotes } = deps;

  async function instrumentOr404(id: string) {
    const instrument = await index.get(id);
    if (!instrument) throw new AppError('NOT_FOUND', `no instrument ${id}`);
    return instrument;
  }

  return async (app: App) => {
    // Open quote streams never finish on their own: end them when the server starts closing.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of streams) end();
      streams.clear();
    });
    app.get('/api/instruments/search', {
      config: { access: readers },
      schema: {
        tags: ['instruments'],
        summary: 'Search instruments: symbols, names, ISINs, aliases, exchange tokens and F&O phrases (`nifty 22000 ce`), with filters and facets',
        querystring: Type.Object({
          q: Type.String({
            default: '',
            maxLength: 16_384,
            description: 'Symbol, name words, ISIN, alias, F&O phrase (`nifty 22000 ce`), or digits alone for an exchange token or BSE scrip code (`2885`, `500325`): its instruments come first, after only symbols that begin with those digits',
          }),
          exchange: Type.Optional(Type.String({ maxLength: 200 })),
          segment: Type.Optional(Type.String({ maxLength: 200 })),
          type: Type.Optional(Type.String({ maxLength: 200 })),
          sector: Type.Optional(Type.String({ maxLength: 500 })),
          expiryFrom: Type.Optional(Type.String({ format: 'date' })),
          expiryTo: Type.Optional(Type.String({ format: 'date' })),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
        }, { additionalProperties: false }),
        response: { 200: SearchResponseSchema },
      },
      serializerCompiler: serializeSearch,
    }, async (request) => {
      const q = request.query;
      const result = await index.search(
        { q: q.q, exchange: list(q.exchange), segment: list(q.segment), type: list(q.type), sector: list(q.sector), expiryFrom: q.expiryFrom, expiryTo: q.expiryTo, limit: q.limit, offset: q.offset },
        deps.clock.now(),
      );
      // The engine's results are deeply readonly; the schema serialises them as they are.
      return { items: result.items, total: result.total, facets: result.facets, tookMs: result.tookMicros / 1000, warnings: result.warnings, derivative: result.derivative ?? null } as never;
    });

    app.get('/api/instruments/imports', {
      config: { access: { roles: operators } },
      schema: { tags: ['instruments'], summary: 'Recent instrument imports', response: { 200: Type.Object({ items: Type.Array(ImportSummarySchema) }) } },
    }, async () => ({ items: await deps.imports.list(20) }));

    await registerUploadRoutes(app, { fileSize: deps.uploadLimitBytes, files: 1, fields: 4, fieldSize: 64 * 1024 }, (uploads) => {
      uploads.post('/api/instruments/imports', {
        config: { access: { roles: operators } },
        schema: {
          tags: ['instruments'],
          summary: 'Upload an instrument file (the desk workbook, NSE/BSE/Kite/Upstox/Dhan formats, or any layout with a `mapping` field); the import runs in the background',
          consumes: ['multipart/form-data'],
          response: { 202: Type.Object({ id: Type.String() }) },
        },
      }, async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data with a `file` field');
        const dir = await mkdtemp(path.join(os.tmpdir(), 'pravah-upload-'));
        let file: string | undefined;
        let sourceName = 'upload';
        let mapping: ColumnMapping | undefined;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', `unexpected file field ${part.fieldname}; use \`file\``);
              sourceName = path.basename(part.filename || 'upload').slice(0, 200);
              // Keep the uploaded name (made safe): the importer's messages name the file.
              file = path.join(dir, sourceName.replace(/[^\w.() -]/g, '_') || 'upload');
              await pipeline(part.file, createWriteStream(file));
              if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', `the file is larger than ${deps.uploadLimitBytes} bytes`);
            } else if (part.fieldname === 'mapping' && typeof part.value === 'string' && part.value.trim()) {
              let value: unknown;
              try {
                value = JSON.parse(part.value);
              } catch {
                throw new AppError('VALIDATION_FAILED', 'the `mapping` field is not valid JSON', { details: [{ field: 'mapping', rule: 'json' }] });
              }
              mapping = parseColumnMapping(value);
            }
          }
          if (!file) throw new AppError('VALIDATION_FAILED', 'no file uploaded: send it in a `file` field', { details: [{ field: 'file', rule: 'required' }] });
        } catch (error) {
          await rm(dir, { recursive: true, force: true });
          throw error;
        }
        const id = await deps.imports.begin(sourceName, describePrincipal(request.principal));
        const job = deps.imports
          .run({ path: file }, { id, mapping, sourceName, createdBy: describePrincipal(request.principal), unknownSheets: 'skip' })
          .catch((error: unknown) => request.log.error({ err: error, importId: id }, 'instrument import crashed'))
          .finally(() => rm(dir, { recursive: true, force: true }));
        deps.track(job);
        return reply.status(202).send({ id });
      });
    });

    app.get('/api/instruments/imports/:id', {
      config: { access: { roles: operators } },
      schema: { tags: ['instruments'], summary: 'One import with live counts', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: ImportSummarySchema } },
    }, async (request) => {
      const summary = await deps.imports.get(request.params.id);
      if (!summary) throw new AppError('NOT_FOUND', 'no import with this id');
      return summary;
    });

    app.get('/api/instruments/imports/:id/rejects.csv', {
      config: { access: { roles: operators } },
      schema: { tags: ['instruments'], summary: 'The rejected rows of an import as CSV (row, field, reason)', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    }, async (request, reply) => {
      if (!(await deps.imports.get(request.params.id))) throw new AppError('NOT_FOUND', 'no import with this id');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="instrument-rejects-${request.params.id}.csv"`)
        .send(Readable.from(deps.imports.rejectsCsv(request.params.id)));
    });

    app.get('/api/instruments/quotes/stream', {
      config: { access: readers },
      schema: {
        tags: ['instruments'],
        summary: 'Live quotes as Server-Sent Events (`event: quote`); the current quote of each id comes first',
        querystring: Type.Object({ ids: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
      },
    }, async (request, reply) => {
      const ids = [...new Set(request.query.ids.split(',').map((s) => s.trim()).filter(Boolean))].slice(0, 50);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': request.id });
      res.write(': connected\n\n');
      const send = (q: unknown) => res.write(`event: quote\ndata: ${JSON.stringify(q)}\n\n`);
      const stop = await quotes.watch(ids, send);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      const close = () => {
        clearInterval(keepAlive);
        void stop();
      };
      const end = () => {
        close();
        res.end();
      };
      streams.add(end);
      request.raw.on('close', () => {
        streams.delete(end);
        close();
      });
    });

    app.get('/api/instruments/:id', {
      config: { access: readers },
      schema: { tags: ['instruments'], summary: 'One instrument with its latest quote', params: IdParams, response: { 200: Type.Object({ instrument: InstrumentSchema, quote: Type.Union([QuoteSchema, Type.Null()]) }) } },
    }, async (request) => {
      const instrument = await instrumentOr404(request.params.id);
      return { instrument, quote: await quotes.get(instrument) } as never;
    });

    app.get('/api/instruments/:id/chart', {
      config: { access: readers },
      schema: {
        tags: ['instruments'], summary: 'Intraday prices, one point a minute (the last session when the market is closed)', params: IdParams,
        response: { 200: Type.Object({ instrumentId: Type.String(), prevClose: Type.Number(), points: Type.Array(Type.Object({ t: Type.String(), price: Type.Number() })) }) },
      },
    }, async (request) => quotes.series(await instrumentOr404(request.params.id)));
  };
}
