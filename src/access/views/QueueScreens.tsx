// The walk-in queue's two standalone screens, in Urdu and English at once: the TV display and the
// self-service "take a ticket" screen.
//
// CSP: each screen has one inline <style> (screenCss(); its hash goes in style-src) and no inline
// script; the display's script is served from our own origin (src/ui/assets/queue-display.js).

import type { ComponentChildren } from "preact";

function ScreenDocument(v: {
  title: string;
  css: string;
  faviconUrl: string;
  /** Reload (or go on) after this many seconds: in <noscript> when the page has a script. */
  refresh: { seconds: number; url?: string; onlyWithoutScript: boolean } | null;
  script: string | null;
  children: ComponentChildren;
}) {
  const refresh = v.refresh && (
    <meta
      httpEquiv="refresh"
      content={v.refresh.url ? `${v.refresh.seconds};url=${v.refresh.url}` : String(v.refresh.seconds)}
    />
  );
  return (
    <html lang="ur" dir="rtl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{v.title}</title>
        <link rel="icon" href={v.faviconUrl} type="image/svg+xml" />
        {refresh && (v.refresh!.onlyWithoutScript ? <noscript>{refresh}</noscript> : refresh)}
        <style dangerouslySetInnerHTML={{ __html: v.css }} />
        {v.script && <script src={v.script} defer />}
      </head>
      <body>{v.children}</body>
    </html>
  );
}

/** Both languages of one message, each in its own script and direction. */
export interface Bilingual {
  ur: string;
  en: string;
}

export interface DisplayData {
  version: string;
  now: { number: string; pc: string; ur: string; en: string };
  calls: { number: number; pc: string; active: boolean; ur: string; en: string }[];
  waiting: number;
  waiting_text: Bilingual;
}

/** Urdu, then English, each on its own line in its own direction. */
function Lines({ text }: { text: Bilingual }) {
  return (
    <>
      <span class="line" lang="ur" dir="rtl">
        {text.ur}
      </span>
      <span class="line" lang="en" dir="ltr">
        {text.en}
      </span>
    </>
  );
}

/** Urdu · English on one line, the English isolated so its punctuation stays put. */
function Inline({ text }: { text: Bilingual }) {
  return (
    <>
      <span lang="ur">{text.ur}</span> ·{" "}
      <span lang="en" dir="ltr">
        {text.en}
      </span>
    </>
  );
}

export function DisplayScreen(v: {
  css: string;
  faviconUrl: string;
  script: string;
  feed: string;
  title: Bilingual;
  centre: Bilingual;
  sound: Bilingual;
  data: DisplayData;
}) {
  return (
    <ScreenDocument
      title={`${v.title.ur} · ${v.title.en}`}
      css={v.css}
      faviconUrl={v.faviconUrl}
      refresh={{ seconds: 5, onlyWithoutScript: true }}
      script={v.script}
    >
      <main id="queue-display" data-feed={v.feed} data-version={v.data.version}>
        <header>
          <h1>
            <Inline text={v.title} />
          </h1>
          <p class="centre">
            <Inline text={v.centre} />
          </p>
        </header>
        <section class="now" aria-live="assertive" aria-atomic="true">
          <div class="num" id="queue-now-number">
            {v.data.now.number}
          </div>
          <div class="pc" id="queue-now-pc">
            {v.data.now.pc}
          </div>
          <p class="line-ur" lang="ur" dir="rtl" id="queue-now-ur">
            {v.data.now.ur}
          </p>
          <p class="line-en" lang="en" dir="ltr" id="queue-now-en">
            {v.data.now.en}
          </p>
        </section>
        <ol class="calls" id="queue-calls">
          {v.data.calls.map((c) => (
            <li class={c.active ? "active" : "done"}>
              <span class="num">{c.number}</span>
              <span class="pc">{c.pc}</span>
            </li>
          ))}
        </ol>
        <footer>
          <p id="queue-waiting">
            <Inline text={v.data.waiting_text} />
          </p>
          <button type="button" id="queue-sound" hidden>
            <Inline text={v.sound} />
          </button>
        </footer>
      </main>
    </ScreenDocument>
  );
}

export function TicketScreen(v: {
  css: string;
  faviconUrl: string;
  action: string;
  csrf: string;
  title: Bilingual;
  button: Bilingual;
  intro: Bilingual;
  waiting: Bilingual;
}) {
  return (
    <ScreenDocument
      title={`${v.title.ur} · ${v.title.en}`}
      css={v.css}
      faviconUrl={v.faviconUrl}
      // The form's signed token lasts a day: the idle screen renews it every hour.
      refresh={{ seconds: 3600, onlyWithoutScript: false }}
      script={null}
    >
      <main class="kiosk">
        <h1>
          <Lines text={v.title} />
        </h1>
        <Lines text={v.intro} />
        <form method="post" action={v.action}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <button type="submit" class="take">
            <span lang="ur">{v.button.ur}</span>
            <span lang="en" dir="ltr">
              {v.button.en}
            </span>
          </button>
        </form>
        <p>
          <Inline text={v.waiting} />
        </p>
      </main>
    </ScreenDocument>
  );
}

export function TicketIssuedScreen(v: {
  css: string;
  faviconUrl: string;
  backHref: string;
  number: number;
  title: Bilingual;
  text: Bilingual;
  back: Bilingual;
}) {
  return (
    <ScreenDocument
      title={`${v.title.ur} ${v.number} · ${v.title.en} ${v.number}`}
      css={v.css}
      faviconUrl={v.faviconUrl}
      refresh={{ seconds: 15, url: v.backHref, onlyWithoutScript: false }}
      script={null}
    >
      <main class="kiosk">
        <h1>
          <Lines text={v.title} />
        </h1>
        <div class="ticket" id="ticket-number">
          {v.number}
        </div>
        <Lines text={v.text} />
        <p>
          <a href={v.backHref}>
            <Inline text={v.back} />
          </a>
        </p>
      </main>
    </ScreenDocument>
  );
}
