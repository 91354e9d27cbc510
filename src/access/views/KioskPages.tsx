import type { ComponentChildren } from "preact";
import type { Translate } from "../../i18n/index.ts";

export interface KioskShell {
  css: string;
  script: string;
  title: string;
  favicon: string;
  /** Without JavaScript the screen refreshes itself to follow the PC's state. */
  refreshSeconds: number;
}

/** Urdu and English side by side: whoever sits down reads their own. */
export function Both({ ur, en, tag = "p" }: { ur: string; en: string; tag?: "p" | "h1" | "h2" }) {
  const Tag = tag;
  return (
    <div class="both">
      <Tag lang="ur" dir="rtl">
        {ur}
      </Tag>
      <Tag lang="en" dir="ltr">
        {en}
      </Tag>
    </div>
  );
}

export function KioskDocument({
  shell,
  data,
  children,
}: {
  shell: KioskShell;
  data: Record<string, string>;
  children: ComponentChildren;
}) {
  return (
    <html lang="ur" dir="rtl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content={String(shell.refreshSeconds)} />
        <title>{shell.title}</title>
        <link rel="icon" href={shell.favicon} type="image/svg+xml" />
        <style dangerouslySetInnerHTML={{ __html: shell.css }} />
        <script src={shell.script} defer />
      </head>
      <body class="kiosk">
        <main data-kiosk="" {...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]))}>
          {children}
        </main>
      </body>
    </html>
  );
}

export interface LockView {
  ur: Translate;
  en: Translate;
  pc: string;
  centre: { ur: string; en: string };
  state: "locked" | "in_use" | "out_of_order" | "closed";
  action: string;
  csrf: string;
  problem: { ur: string; en: string } | null;
}

export function LockScreen(v: LockView) {
  const { ur, en } = v;
  return (
    <>
      <Both tag="h1" ur={v.centre.ur} en={v.centre.en} />
      <p class="big">{v.pc}</p>
      {v.problem && (
        <div class="alert" role="alert">
          <Both ur={v.problem.ur} en={v.problem.en} />
        </div>
      )}
      {v.state === "out_of_order" && <Both ur={ur("kiosk.out_of_order")} en={en("kiosk.out_of_order")} />}
      {v.state === "closed" && <Both ur={ur("kiosk.closed")} en={en("kiosk.closed")} />}
      {v.state === "in_use" && <Both tag="h2" ur={ur("kiosk.in_use")} en={en("kiosk.in_use")} />}
      {v.state === "locked" && (
        <>
          <form method="post" action={v.action}>
            <input type="hidden" name="_csrf" value={v.csrf} />
            <input type="hidden" name="method" value="card" />
            <label for="f-card">
              <Both ur={ur("kiosk.scan")} en={en("kiosk.scan")} />
            </label>
            <input id="f-card" name="card" dir="ltr" autoComplete="off" autoFocus maxLength={80} />
          </form>
          <form method="post" action={v.action}>
            <input type="hidden" name="_csrf" value={v.csrf} />
            <input type="hidden" name="method" value="pin" />
            <Both tag="h2" ur={ur("kiosk.or_pin")} en={en("kiosk.or_pin")} />
            <div class="both">
              <p>
                <label for="f-login">
                  {ur("kiosk.member")} · <span lang="en">{en("kiosk.member")}</span>
                </label>
                <input id="f-login" name="login" dir="ltr" autoComplete="off" maxLength={40} />
              </p>
              <p>
                <label for="f-pin">
                  {ur("kiosk.pin")} · <span lang="en">{en("kiosk.pin")}</span>
                </label>
                <input
                  id="f-pin"
                  name="pin"
                  type="password"
                  inputMode="numeric"
                  dir="ltr"
                  autoComplete="off"
                  maxLength={6}
                />
              </p>
            </div>
            <button type="submit">
              {ur("kiosk.go")} · <span lang="en">{en("kiosk.go")}</span>
            </button>
          </form>
          <form method="post" action={v.action}>
            <input type="hidden" name="_csrf" value={v.csrf} />
            <input type="hidden" name="method" value="guest" />
            <label for="f-code">
              <Both ur={ur("kiosk.or_guest")} en={en("kiosk.or_guest")} />
            </label>
            <input id="f-code" name="code" dir="ltr" autoComplete="off" maxLength={12} />
            <button type="submit">
              {ur("kiosk.go")} · <span lang="en">{en("kiosk.go")}</span>
            </button>
          </form>
        </>
      )}
    </>
  );
}

export function TimerScreen(v: {
  ur: Translate;
  en: Translate;
  pc: string;
  endAction: string;
  csrf: string;
  running: boolean;
  minutes: number;
}) {
  const { ur, en } = v;
  return (
    <>
      <p class="big">{v.pc}</p>
      <Both tag="h2" ur={ur("kiosk.left")} en={en("kiosk.left")} />
      <p class="big" id="left">
        {v.running ? `${v.minutes}:00` : "0:00"}
      </p>
      <p
        class="alert"
        id="warn"
        hidden
        data-text={`${ur("kiosk.warn", { minutes: "{minutes}" })} · ${en("kiosk.warn", { minutes: "{minutes}" })}`}
      />
      {v.running && (
        <form method="post" action={v.endAction}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <button type="submit">
            {ur("kiosk.end")} · <span lang="en">{en("kiosk.end")}</span>
          </button>
        </form>
      )}
    </>
  );
}
