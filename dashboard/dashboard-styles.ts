/** The dashboard's stylesheet, inlined into the page. Every state colour is paired with a text mark. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; padding: .75rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--bg); }
h1 { font-size: 1.25rem; margin: 0; }
h2 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
main { padding: 0 1.25rem 2rem; }
#status { color: var(--muted); }
#status.error { color: #a40e26; font-weight: 600; }
.daemon-sets { display: flex; flex-wrap: wrap; gap: .75rem; }
.daemon-set { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; min-width: 16rem; }
.daemon-set .title { font-weight: 600; }
.daemon-set .meta { color: var(--muted); font-size: 12px; }
.bar { position: relative; height: .8rem; background: #eaeef2; border-radius: 4px; overflow: hidden; margin: .35rem 0 .15rem; }
.bar .updated { position: absolute; inset: 0 auto 0 0; background: #9ecbff; }
.bar .available { position: absolute; inset: 0 auto 0 0; background: #1a7f37; }
.counts { font-size: 12px; }
.flag { display: inline-block; margin: .2rem .25rem 0 0; padding: 0 .35rem; border-radius: 3px; font-size: 12px; border: 1px solid; }
.flag.warn { color: #7d4e00; border-color: #d4a72c; background: #fff8c5; }
.flag.bad { color: #82071e; border-color: #ff8182; background: #ffebe9; }
.flag.info { color: #0a3069; border-color: #80ccff; background: #ddf4ff; }
table { border-collapse: collapse; margin-top: .25rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .35rem; white-space: nowrap; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left; vertical-align: top; }
thead th { background: var(--bg); }
tbody th { font-weight: 600; white-space: nowrap; }
.badge { display: inline-block; margin: .15rem .25rem 0 0; padding: 0 .3rem; border-radius: 3px; font-size: 11px; font-weight: 500; background: #eaeef2; color: #24292f; }
.badge.not-ready { background: #ffebe9; color: #82071e; }
.badge.cordoned { background: #fff8c5; color: #7d4e00; }
td.cell { min-width: 8rem; white-space: nowrap; }
.cell .symbol { display: inline-block; width: 1.2em; font-weight: 700; }
.state-current { background: #dafbe1; color: #116329; }
.state-old { background: #fff1c2; color: #7d4e00; }
.state-pending { background: #ddf4ff; color: #0a3069; }
.state-failed { background: #ffebe9; color: #a40e26; font-weight: 600; }
.state-terminating { background: repeating-linear-gradient(45deg, #eaeef2, #eaeef2 6px, #f6f8fa 6px, #f6f8fa 12px); color: #424a53; }
.state-missing { background: #fff; color: #0a3069; outline: 2px dashed #80ccff; outline-offset: -4px; }
.state-not-eligible { background: #f6f8fa; color: #57606a; }
.legend { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; font-size: 12px; }
.legend li { padding: .1rem .45rem; border-radius: 3px; border: 1px solid var(--line); }
.empty { color: var(--muted); }
code { background: var(--bg); padding: 0 .25rem; border-radius: 3px; }
`;
