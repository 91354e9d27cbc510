// The stylesheet of the queue's standalone screens (TV display and ticket screen). Each screen
// inlines it in one <style>, whose hash goes in the page's CSP style-src.

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
