/** The dashboard's stylesheet, inlined into the page. Every state colour is paired with a text or drawn mark. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--bg); }
h1 { font-size: 1.25rem; margin: 0; }
h2 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: .95rem; margin: .75rem 0 .35rem; }
main { padding: 0 1.25rem 2rem; }
#status { color: var(--muted); }
#status.error, .error { color: #a40e26; font-weight: 600; }
.title { font-weight: 600; }
#fleet th[scope="row"] { min-width: 15rem; }
.meta { color: var(--muted); font-size: 12px; }
.progress { min-width: 12rem; }
.bar { position: relative; height: .8rem; background: #eaeef2; border-radius: 4px; overflow: hidden; margin: .35rem 0 .15rem; }
.bar .updated { position: absolute; inset: 0 auto 0 0; background: #9ecbff; }
.bar .available { position: absolute; inset: 0 auto 0 0; background: #1a7f37; }
.counts { font-size: 12px; }
.flag { display: inline-block; margin: .2rem .25rem 0 0; padding: 0 .35rem; border-radius: 3px; font-size: 12px; border: 1px solid; }
.flag.warn { color: #7d4e00; border-color: #d4a72c; background: #fff8c5; }
.flag.bad { color: #82071e; border-color: #ff8182; background: #ffebe9; }
.flag.info { color: #0a3069; border-color: #80ccff; background: #ddf4ff; }
table { border-collapse: collapse; margin-top: .25rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .35rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg); font-size: 12px; }
td.num, th.num { text-align: right; white-space: nowrap; }
.zero { color: #afb8c1; }
button.link { background: none; border: 0; padding: 0; color: #0969da; cursor: pointer; font: inherit; text-align: left; text-decoration: underline; }
button.link:focus-visible, canvas:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
.badge { display: inline-block; margin: .15rem .25rem 0 0; padding: 0 .3rem; border-radius: 3px; font-size: 11px; font-weight: 500; background: #eaeef2; color: #24292f; }
.badge.not-ready { background: #ffebe9; color: #82071e; }
.badge.cordoned { background: #fff8c5; color: #7d4e00; }
.badge.gated { background: #fbefff; color: #6639ba; }
.controls { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin-bottom: .5rem; }
.controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.controls input { min-width: 16rem; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: .25rem 0 .5rem; list-style: none; font-size: 12px; }
.legend li { padding: .1rem .45rem; border-radius: 3px; border: 1px solid var(--line); }
.swatch { display: inline-block; min-width: 1.3em; text-align: center; border: 1px solid #8c959f; border-radius: 2px; font-weight: 700; color: #1b1f24; }
.group { margin: .4rem 0 .6rem; }
.group-head { font-size: 12px; margin-bottom: .15rem; }
.group-counts { color: var(--muted); }
#heat-map canvas { display: block; cursor: pointer; }
.tip { position: absolute; z-index: 10; background: #1b1f24; color: #fff; padding: .2rem .45rem; border-radius: 3px; font-size: 12px; pointer-events: none; }
.why ul { margin: .25rem 0; padding-left: 1.25rem; }
.markers { font-size: 12px; padding-left: 1.25rem; }
.pager { display: flex; gap: .75rem; align-items: center; margin: .5rem 0 .25rem; }
.node { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; margin-top: .75rem; }
.labels code { margin-right: .35rem; font-size: 12px; }
.events { list-style: none; padding: 0; font-size: 13px; max-height: 22rem; overflow-y: auto; border: 1px solid var(--line); border-radius: 6px; }
.events li { padding: .25rem .6rem; border-bottom: 1px solid #eaeef2; }
.events li.warning { background: #fff8f7; }
.events .type { font-size: 11px; color: var(--muted); }
.events li.warning .type { color: #a40e26; font-weight: 600; }
.state-current { background: #dafbe1; color: #116329; }
.state-old { background: #fff1c2; color: #7d4e00; }
.state-pending { background: #ddf4ff; color: #0a3069; }
.state-failed { background: #ffebe9; color: #a40e26; font-weight: 600; }
.state-terminating { background: repeating-linear-gradient(45deg, #eaeef2, #eaeef2 6px, #f6f8fa 6px, #f6f8fa 12px); color: #424a53; }
.state-missing { background: #fff; color: #0a3069; outline: 2px dashed #80ccff; outline-offset: -3px; }
.state-gated { background: #fbefff; color: #6639ba; }
.state-not-eligible { background: #f6f8fa; color: #57606a; }
button.count { padding: 0 .3rem; border-radius: 3px; }
.empty { color: var(--muted); }
code { background: var(--bg); padding: 0 .25rem; border-radius: 3px; }
`;
