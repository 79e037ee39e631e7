// Template versions in PostgreSQL (migration 0012), with the active version of each template cached
// in memory for the dispatcher. Saving inserts the next version, makes it active, and writes the
// audit row in the same transaction; then it drops the cached entry here and, through the Cache
// port's broadcast, in every other process, so the next message rendered anywhere uses it. A short
// TTL backs the broadcast up (it has no delivery guarantee). Versions never change, so a message
// that recorded its version can always be rendered again exactly.
import type { Db, Queryable } from '../../store/db.ts';
import type { Cache } from '../../cache/cache.ts';
import type { Clock } from '../../platform/time.ts';
import { SECOND, systemClock } from '../../platform/time.ts';
import { AppError } from '../../platform/errors.ts';
import { appendAudit } from '../../auth/audit.ts';
import { checkTemplate } from './check-template.ts';
import {
  contentOf, templateIdOf, withContent, type TemplateChannel, type TemplateDraft, type TemplateLanguage, type TemplateVersion,
} from './template.ts';

/** A version as the console shows it: with a display form of who saved it (a masked email). */
export type TemplateVersionView = TemplateVersion & { author: string };
export type TemplateSummary = TemplateVersionView & { versions: number };
export type TemplateFilter = { type?: string; channel?: TemplateChannel; language?: TemplateLanguage };

export type SaveOptions = {
  /** `user:<id>` of the author: recorded on the version and in the audit log. */
  actor: string;
  note?: string;
  /** The version the editor started from: the save is refused (CONFLICT) when another came since. */
  baseVersion?: number;
};

export type TemplateStore = {
  /** The active version of every template matching the filter, ordered by type, channel, language. */
  list(filter?: TemplateFilter): Promise<TemplateSummary[]>;
  /** A template's active version and all its versions, newest first; undefined for an unknown id. */
  history(id: string): Promise<{ active: TemplateVersionView; versions: TemplateVersionView[] } | undefined>;
  /** The version a message is rendered with now (cached). */
  active(type: string, channel: TemplateChannel, language: TemplateLanguage): Promise<TemplateVersion | undefined>;
  /** One exact version, e.g. the one a message recorded (cached: versions never change). */
  version(id: string, version: number): Promise<TemplateVersion | undefined>;
  /** Checks the draft (TEMPLATE_INVALID with every issue), then inserts it as the next, active version. */
  save(draft: TemplateDraft, options: SaveOptions): Promise<TemplateVersion>;
  /** Inserts every draft as version 1 when no template exists yet; returns how many (0 when some existed). */
  seed(drafts: readonly TemplateDraft[], actor: string): Promise<number>;
  /** Drops the cached active version of one template, or of all. */
  invalidate(id?: string): void;
  /** Follows other processes' saves (the broadcast); stop() unsubscribes. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

export const templatesChangedChannel = 'templates.changed';
const seedLockKey = 727_274_012;

type Row = { template_id: string; type: string; channel: TemplateChannel; language: TemplateLanguage; version: number; content: unknown; note: string | null; created_by: string; created_at: Date; author: string | null; versions?: string };

const selectVersion = `
  SELECT v.template_id, t.type, t.channel, t.language, v.version, v.content, v.note, v.created_by, v.created_at,
         CASE WHEN v.created_by LIKE 'system:%' THEN 'system' ELSE u.email_masked END AS author
  FROM notification_template_versions v
  JOIN notification_templates t ON t.id = v.template_id
  LEFT JOIN users u ON v.created_by = 'user:' || u.id::text`;

function toVersion(r: Row): TemplateVersionView {
  return {
    id: r.template_id, type: r.type, language: r.language, version: r.version, note: r.note, createdBy: r.created_by, createdAt: r.created_at,
    author: r.author ?? r.created_by,
    ...withContent(r.channel, r.content),
  };
}

function invalid(issues: ReturnType<typeof checkTemplate>['issues']): AppError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError('TEMPLATE_INVALID', `The template cannot be saved: ${first.field}: ${first.message}${more}`, { details: issues });
}

async function insertVersion(tx: Queryable, id: string, version: number, draft: TemplateDraft, note: string | null, actor: string, at: Date): Promise<void> {
  await tx.query(
    'INSERT INTO notification_template_versions (template_id, version, content, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, version, JSON.stringify(contentOf(draft)), note, actor, at],
  );
}

export function createTemplateStore(deps: { db: Db; cache?: Cache; clock?: Clock; cacheTtlMs?: number }): TemplateStore {
  const { db, cache } = deps;
  const clock = deps.clock ?? systemClock;
  const ttlMs = deps.cacheTtlMs ?? 30 * SECOND;
  const activeCache = new Map<string, { at: number; value: Promise<TemplateVersion | undefined> }>();
  const versionCache = new Map<string, TemplateVersion>();
  let unsubscribe: (() => Promise<void>) | undefined;

  function invalidate(id?: string): void {
    if (id === undefined) activeCache.clear();
    else activeCache.delete(id);
  }

  async function loadActive(id: string): Promise<TemplateVersion | undefined> {
    const { rows } = await db.query<Row>(`${selectVersion} WHERE t.id = $1 AND v.version = t.active_version`, [id]);
    return rows[0] && toVersion(rows[0]);
  }

  return {
    async list(filter = {}) {
      const { rows } = await db.query<Row>(
        `SELECT * FROM (${selectVersion} WHERE v.version = t.active_version
           AND ($1::text IS NULL OR t.type = $1) AND ($2::text IS NULL OR t.channel = $2) AND ($3::text IS NULL OR t.language = $3)) a
         CROSS JOIN LATERAL (SELECT count(*) AS versions FROM notification_template_versions c WHERE c.template_id = a.template_id) n
         ORDER BY a.type, array_position(ARRAY['sms', 'whatsapp', 'push'], a.channel), a.language`,
        [filter.type ?? null, filter.channel ?? null, filter.language ?? null],
      );
      return rows.map((r) => ({ ...toVersion(r), versions: Number(r.versions) }));
    },

    async history(id) {
      const [{ rows }, head] = await Promise.all([
        db.query<Row>(`${selectVersion} WHERE t.id = $1 ORDER BY v.version DESC`, [id]),
        db.query<{ active_version: number }>('SELECT active_version FROM notification_templates WHERE id = $1', [id]),
      ]);
      if (!rows.length) return undefined;
      const versions = rows.map(toVersion);
      const active = versions.find((v) => v.version === head.rows[0]?.active_version) ?? versions[0]!;
      return { active, versions };
    },

    active(type, channel, language) {
      const id = templateIdOf(type, channel, language);
      const now = clock.now().getTime();
      const hit = activeCache.get(id);
      if (hit && now - hit.at < ttlMs) return hit.value;
      // One load per template however many messages ask at once; a failed load is not kept.
      const value = loadActive(id);
      const entry = { at: now, value };
      activeCache.set(id, entry);
      value.catch(() => {
        if (activeCache.get(id) === entry) activeCache.delete(id);
      });
      return value;
    },

    async version(id, version) {
      const key = `${id}@${version}`;
      const hit = versionCache.get(key);
      if (hit) return hit;
      const { rows } = await db.query<Row>(`${selectVersion} WHERE v.template_id = $1 AND v.version = $2`, [id, version]);
      if (!rows[0]) return undefined;
      const { author: _author, ...found } = toVersion(rows[0]);
      if (versionCache.size >= 2000) versionCache.clear();
      versionCache.set(key, found);
      return found;
    },

    async save(draft, options) {
      const { issues } = checkTemplate(draft);
      if (issues.length) throw invalid(issues);
      const id = templateIdOf(draft.type, draft.channel, draft.language);
      const at = clock.now();
      const note = options.note?.trim() || null;
      const saved = await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notification_templates (id, type, channel, language, active_version, updated_at) VALUES ($1, $2, $3, $4, 0, $5)
           ON CONFLICT (id) DO NOTHING`,
          [id, draft.type, draft.channel, draft.language, at],
        );
        const { rows } = await tx.query<{ active_version: number; latest: number | null }>(
          `SELECT t.active_version, (SELECT max(version) FROM notification_template_versions v WHERE v.template_id = t.id) AS latest
           FROM notification_templates t WHERE t.id = $1 FOR UPDATE`,
          [id],
        );
        const current = rows[0]!;
        if (options.baseVersion !== undefined && options.baseVersion !== current.active_version) {
          throw new AppError('CONFLICT', `Version ${current.active_version} of this template was saved after version ${options.baseVersion}, which this edit started from; reload it and edit again`, {
            details: { activeVersion: current.active_version, baseVersion: options.baseVersion },
          });
        }
        const version = (current.latest ?? 0) + 1;
        await insertVersion(tx, id, version, draft, note, options.actor, at);
        await tx.query('UPDATE notification_templates SET active_version = $2, updated_at = $3 WHERE id = $1', [id, version, at]);
        await appendAudit(tx, {
          actor: options.actor, action: 'template.saved', target: id,
          details: { type: draft.type, channel: draft.channel, language: draft.language, version, previousVersion: current.active_version || null },
        });
        return { ...draft, id, version, note, createdBy: options.actor, createdAt: at } satisfies TemplateVersion;
      });
      invalidate(id);
      await cache?.publish(templatesChangedChannel, { id }).catch(() => undefined);
      return saved;
    },

    async seed(drafts, actor) {
      for (const draft of drafts) {
        const { issues } = checkTemplate(draft);
        if (issues.length) throw new Error(`seed template ${templateIdOf(draft.type, draft.channel, draft.language)} is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
      }
      const at = clock.now();
      const inserted = await db.transaction(async (tx) => {
        // Several processes may start at once: one seeds, the others find the table filled.
        await tx.query('SELECT pg_advisory_xact_lock($1)', [seedLockKey]);
        const { rows } = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM notification_templates) AS any');
        if (rows[0]?.any) return 0;
        await tx.query(
          `INSERT INTO notification_templates (id, type, channel, language, active_version, updated_at)
           SELECT id, type, channel, language, 1, $2 FROM jsonb_to_recordset($1::jsonb) AS x(id text, type text, channel text, language text)`,
          [JSON.stringify(drafts.map((d) => ({ id: templateIdOf(d.type, d.channel, d.language), type: d.type, channel: d.channel, language: d.language }))), at],
        );
        await tx.query(
          `INSERT INTO notification_template_versions (template_id, version, content, note, created_by, created_at)
           SELECT id, 1, content, 'Seeded default', $2, $3 FROM jsonb_to_recordset($1::jsonb) AS x(id text, content jsonb)`,
          [JSON.stringify(drafts.map((d) => ({ id: templateIdOf(d.type, d.channel, d.language), content: contentOf(d) }))), actor, at],
        );
        await appendAudit(tx, { actor, action: 'templates.seeded', details: { templates: drafts.length } });
        return drafts.length;
      });
      invalidate();
      return inserted;
    },

    invalidate,

    async start() {
      if (!cache || unsubscribe) return;
      unsubscribe = await cache.subscribe(templatesChangedChannel, (message) => {
        const id = (message as { id?: unknown } | null)?.id;
        invalidate(typeof id === 'string' ? id : undefined);
      });
    },

    async stop() {
      const done = unsubscribe;
      unsubscribe = undefined;
      await done?.();
    },
  };
}
