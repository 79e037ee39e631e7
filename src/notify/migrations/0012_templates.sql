-- Message templates per event type × channel × language. Versions are immutable: an edit inserts
-- the next version, and the template row points at the active one. A message records the version
-- it was rendered with (notification_messages.template_id, template_version).

CREATE TABLE notification_templates (
  id              text PRIMARY KEY,            -- type:channel:language, e.g. mtf.margin_call:sms:en
  type            text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'push')),
  language        text NOT NULL CHECK (language IN ('en', 'hi')),
  active_version  integer NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (type, channel, language)
);

CREATE TABLE notification_template_versions (
  template_id  text NOT NULL REFERENCES notification_templates (id),
  version      integer NOT NULL CHECK (version >= 1),
  -- The channel's fields: SMS body, DLT text and ids; WhatsApp name, language, category, body,
  -- parameters; push title and body. No personal data: templates hold placeholders only.
  content      jsonb NOT NULL,
  note         text,
  created_by   text NOT NULL,                  -- user:<id> or system:seed
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_id, version)
);

-- A version, once written, is never changed or removed.
CREATE FUNCTION notification_template_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'template versions are immutable: save a new version instead';
END;
$$;
CREATE TRIGGER notification_template_versions_immutable
  BEFORE UPDATE OR DELETE ON notification_template_versions
  FOR EACH ROW EXECUTE FUNCTION notification_template_versions_immutable();
