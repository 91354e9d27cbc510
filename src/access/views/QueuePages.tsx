// The walk-in queue's pages: the desk page (inside the staff layout), and two standalone screens
// in Urdu and English at once: the TV display and the self-service "take a ticket" screen.
//
// CSP: each screen has one inline <style> (screenCss(); its hash goes in style-src) and no inline
// script; the display's script is served from our own origin (src/ui/assets/queue-display.js).

import type { ComponentChildren } from "preact";
import type { Translate } from "../../i18n/index.ts";
import { CsrfInput, ErrorSummary, Field, inputProps, type FieldErrors } from "../../ui/forms.tsx";
import type { Option } from "./ReservationPages.tsx";

// ---- the desk ---------------------------------------------------------------------------------

export interface QueueDeskView {
  t: Translate;
  csrf: string;
  dayLabel: string;
  claimMinutes: number;
  pcs: Option[];
  calls: { id: string; number: number; pc: string; calledAt: string; expired: boolean }[];
  waiting: { id: string; number: number; since: string; who: string }[];
  form: "ticket" | "call" | null;
  values: Record<string, string>;
  errors: FieldErrors;
  displayHref: string;
  ticketHref: string;
}

export function QueueDeskPage(v: QueueDeskView) {
  const { t } = v;
  const errorsOf = (form: QueueDeskView["form"]) => (v.form === form ? v.errors : {});
  const ticketErrors = errorsOf("ticket");
  const callErrors = errorsOf("call");
  return (
    <section>
      <h1>{t("queue.desk_title")}</h1>
      <p>
        {v.dayLabel} · <a href={v.displayHref}>{t("queue.open_display")}</a> ·{" "}
        <a href={v.ticketHref}>{t("queue.open_ticket_screen")}</a> ·{" "}
        <a href="/staff/reservations">{t("reserve.desk_title")}</a>
      </p>
      <div class="row">
        <div class="panel">
          <h2>{t("queue.issue_title")}</h2>
          <form method="post" action="/staff/queue/tickets" class="stack" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={ticketErrors} />
            <Field
              name="member_no"
              label={t("queue.member_no")}
              errors={ticketErrors}
              hint={t("queue.member_no_hint")}
            >
              <input
                {...inputProps("member_no", ticketErrors, true)}
                type="text"
                dir="ltr"
                autoComplete="off"
                maxLength={40}
                value={v.form === "ticket" ? (v.values.member_no ?? "") : ""}
              />
            </Field>
            <p>
              <button type="submit">{t("queue.issue_submit")}</button>
            </p>
          </form>
        </div>
        <div class="panel">
          <h2>{t("queue.call_title")}</h2>
          <form method="post" action="/staff/queue/call" class="stack" novalidate>
            <CsrfInput token={v.csrf} />
            <ErrorSummary t={t} errors={callErrors} />
            <Field name="pc_id" label={t("queue.pc")} errors={callErrors}>
              <select {...inputProps("pc_id", callErrors)}>
                {v.pcs.map((p) => (
                  <option value={p.value} selected={v.form === "call" && v.values.pc_id === p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </Field>
            <p>
              <button type="submit">{t("queue.call_submit")}</button>
            </p>
          </form>
        </div>
      </div>

      <h2>{t("queue.calls_title")}</h2>
      <p>{t("queue.claim_rule", { minutes: v.claimMinutes })}</p>
      {v.calls.length === 0 ? (
        <p>{t("queue.no_calls")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("queue.col_number")}</th>
              <th scope="col">{t("queue.col_pc")}</th>
              <th scope="col">{t("queue.col_called")}</th>
              <th scope="col">{t("reserve.col_actions")}</th>
            </tr>
          </thead>
          <tbody>
            {v.calls.map((c) => (
              <tr>
                <td>
                  <strong>{c.number}</strong>
                </td>
                <td>
                  <bdi>{c.pc}</bdi>
                </td>
                <td>
                  <bdi dir="ltr">{c.calledAt}</bdi>
                  {c.expired && <> ({t("queue.call_lapsed")})</>}
                </td>
                <td>
                  <form class="inline" method="post" action={`/staff/queue/${c.id}/claim`}>
                    <CsrfInput token={v.csrf} />
                    <button type="submit">{t("queue.claim")}</button>
                  </form>{" "}
                  <form class="inline" method="post" action={`/staff/queue/${c.id}/cancel`}>
                    <CsrfInput token={v.csrf} />
                    <button type="submit" class="linkish">
                      {t("queue.cancel")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t("queue.waiting_title", { count: v.waiting.length })}</h2>
      {v.waiting.length === 0 ? (
        <p>{t("queue.nobody_waiting")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("queue.col_number")}</th>
              <th scope="col">{t("queue.col_since")}</th>
              <th scope="col">{t("queue.col_who")}</th>
              <th scope="col">{t("reserve.col_actions")}</th>
            </tr>
          </thead>
          <tbody>
            {v.waiting.map((w) => (
              <tr>
                <td>
                  <strong>{w.number}</strong>
                </td>
                <td>
                  <bdi dir="ltr">{w.since}</bdi>
                </td>
                <td>
                  <bdi>{w.who}</bdi>
                </td>
                <td>
                  <form class="inline" method="post" action={`/staff/queue/${w.id}/cancel`}>
                    <CsrfInput token={v.csrf} />
                    <button type="submit" class="linkish">
                      {t("queue.cancel")}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// ---- standalone screens -----------------------------------------------------------------------

const SCREEN_CSS = `@font-face {
  font-family: "Noto Nastaliq Urdu";
  font-style: normal;
  font-weight: 400;
  font-display: swap;
  src: url(__FONT_URDU__) format("woff2");
}
@font-face {
  font-family: "Noto Sans";
  font-style: normal;
  font-weight: 400;
  font-display: swap;
  src: url(__FONT_LATIN__) format("woff2");
}
* { box-sizing: border-box; }
html { background: #0b2e24; color: #fff; font-family: "Noto Sans", system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; }
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Noto Sans", serif; line-height: 2.1; }
[lang="en"] { font-family: "Noto Sans", system-ui, sans-serif; line-height: 1.3; }
main { display: flex; flex-direction: column; min-height: 100vh; padding: 2vh 3vw; gap: 2vh; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 2vw; border-bottom: 2px solid #3f7d67; }
h1 { margin: 0; font-size: 4vh; font-weight: 400; }
.centre { margin: 0; font-size: 2.6vh; opacity: .85; }
.now { text-align: center; background: #14523f; border-radius: 2vh; padding: 2vh 2vw; }
.now .num { font-size: 22vh; line-height: 1; font-weight: 700; font-family: "Noto Sans", sans-serif; direction: ltr; }
.now .pc { font-size: 9vh; line-height: 1.1; font-weight: 700; direction: ltr; unicode-bidi: isolate; }
.line-ur { font-size: 5.5vh; margin: 1vh 0 0; }
.line-en { font-size: 5vh; margin: 0; }
.calls { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(28vw, 1fr)); gap: 1.5vh 2vw; }
.calls li { background: #123f31; border-radius: 1.5vh; padding: 1vh 1.5vw; display: flex; justify-content: space-between; align-items: center; font-size: 5vh; }
.calls li.active { background: #f2c14e; color: #1b1f23; }
.calls .num { font-weight: 700; direction: ltr; }
.calls .pc { direction: ltr; unicode-bidi: isolate; }
footer { margin-top: auto; display: flex; justify-content: space-between; align-items: center; font-size: 3.6vh; gap: 2vw; }
footer p { margin: 0; }
button { font: inherit; cursor: pointer; }
#queue-sound { font-size: 2.6vh; padding: .6vh 1.2vw; border-radius: 1vh; border: 2px solid #fff; background: transparent; color: #fff; }
[dir="ltr"] { unicode-bidi: isolate; }
.line { display: block; }
.kiosk { align-items: center; justify-content: center; text-align: center; font-size: min(3.4vh, 5vw); gap: 3vh; }
.kiosk h1 { font-size: min(6vh, 8vw); }
.kiosk p { margin: 0; }
.take { font-size: min(7vh, 9vw); padding: 3vh 6vw; border-radius: 3vh; border: 0; background: #f2c14e; color: #1b1f23; box-shadow: 0 1vh 0 #b8862a; }
.take:active { transform: translateY(.6vh); box-shadow: 0 .4vh 0 #b8862a; }
.take span { display: block; }
.ticket { font-size: min(26vh, 40vw); line-height: 1; font-weight: 700; direction: ltr; }
a { color: #f2c14e; }
@media (orientation: portrait) {
  .now .num { font-size: 16vh; }
  .calls { grid-template-columns: 1fr; }
}`;

/** The screens' stylesheet with the font URLs filled in; its hash goes in the page's CSP. */
export function screenCss(fontUrduUrl: string, fontLatinUrl: string): string {
  return SCREEN_CSS.replace("__FONT_URDU__", fontUrduUrl).replace("__FONT_LATIN__", fontLatinUrl);
}

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
