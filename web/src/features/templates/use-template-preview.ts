// The live preview: the draft is rendered by the server (the renderer messages go out with), a
// moment after the last keystroke. An answer that arrives after a newer request is dropped, so the
// phone never shows an older draft than the editor.
import { useEffect, useRef, useState } from 'react';
import { isApiError } from '../../app/api-client.ts';
import { useSession } from '../../app/session.tsx';
import { previewTemplate } from './templates-api.ts';
import type { Content, Preview, Template } from './templates-api.ts';

const DEBOUNCE_MS = 250;

export type PreviewState = { preview: Preview | undefined; error: string | undefined; pending: boolean };

export function useTemplatePreview(template: Pick<Template, 'type' | 'language'>, content: Content): PreviewState {
  const { client } = useSession();
  const [state, setState] = useState<PreviewState>({ preview: undefined, error: undefined, pending: true });
  const { type, language } = template;
  const key = JSON.stringify(content);
  const latest = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const request = ++latest.current;
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      previewTemplate(client, { type, language }, JSON.parse(key) as Content, controller.signal).then(
        (preview) => {
          if (request === latest.current) setState({ preview, error: undefined, pending: false });
        },
        (error: unknown) => {
          if (controller.signal.aborted || request !== latest.current) return;
          setState((s) => ({ ...s, error: isApiError(error) || error instanceof Error ? error.message : String(error), pending: false }));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, type, language, key]);

  return state;
}
