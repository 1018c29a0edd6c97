// The report's style sheet, inline in the page (no external asset may load). Colours keep their meaning
// in print and for colour-blind readers: each series also has its own name in the legend and tables.
export const REPORT_CSS = `
:root { color-scheme: light; font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 0 0 0.5rem; border-bottom: 2px solid #e5e5e5; padding-bottom: 0.25rem; }
h2 small { font-weight: normal; color: #555; font-size: 0.85rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 0.25rem; }
header p { margin: 0.2rem 0; color: #333; }
section { margin: 1.5rem 0; padding: 1rem; border: 1px solid #ddd; border-radius: 6px; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.reason, td.fix, #diagnose td { white-space: pre-wrap; overflow-wrap: anywhere; }
td.file { font-family: ui-monospace, Consolas, monospace; overflow-wrap: anywhere; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
.badge { display: inline-block; padding: 0.3rem 0.7rem; border-radius: 4px; font-weight: 600; }
.badge a { color: inherit; }
.badge.ok { background: #e3f4e6; color: #135c22; }
.badge.warn { background: #fff3d6; color: #7a4b00; }
.badge.fail { background: #fde4e4; color: #8a1212; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; margin-right: 0.35rem; vertical-align: -0.1rem; border-radius: 2px; }
.chart-box { overflow-x: auto; }
.chart text { font-size: 10px; fill: #555; }
.chart .axis { stroke: #999; }
.chart .hit { fill: transparent; }
.chart g:hover .hit { fill: #f0f0f0; }
.s-sent { background: #2f6fb3; fill: #2f6fb3; }
.s-received { background: #2e8b57; fill: #2e8b57; }
.s-failed { background: #c62828; fill: #c62828; }
.s-awaiting { background: #e69500; fill: #e69500; }
tr.check.fail td:first-child { color: #8a1212; font-weight: 600; }
tr.check.warn td:first-child { color: #7a4b00; font-weight: 600; }
tr.check.ok td:first-child { color: #135c22; }
#diagnose tr.check td:first-child { white-space: nowrap; }
#diagnose table, .failed table { width: 100%; }
.empty { color: #555; font-style: italic; }
.resend { margin: 0.3rem 0 0; }
code { font-family: ui-monospace, Consolas, monospace; font-size: 0.85rem; background: #f5f5f5; padding: 0 0.2rem; overflow-wrap: anywhere; white-space: pre-wrap; }
footer { color: #555; font-size: 0.85rem; }
@media print { section { break-inside: avoid; } details { display: block; } }
`;
