/** The report's inline stylesheet: system fonts only, since an offline file cannot load web fonts. */
export const reportStyles = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #dde1e7; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
p, li { line-height: 1.45; }
nav { font-size: 0.85rem; margin: 0.6rem 0 1rem; }
nav a { margin-right: 0.8rem; color: #1f5f9e; text-decoration: none; }
.subtitle { color: #5a6472; margin: 0; }
.generated-at { color: #5a6472; font-size: 0.85rem; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 1rem 0; }
.card { border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.card .label { font-size: 0.75rem; color: #5a6472; text-transform: uppercase; letter-spacing: 0.03em; }
.card .value { font-size: 1.15rem; font-weight: 600; margin-top: 2px; }
table.aq-table { border-collapse: collapse; font-size: 0.85rem; margin: 0.4rem 0 1rem; }
table.aq-table th, table.aq-table td { border-bottom: 1px solid #e6e9ee; padding: 3px 9px; text-align: left; white-space: nowrap; }
table.aq-table th { background: #f0f2f5; font-weight: 600; position: sticky; top: 0; }
table.aq-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.aq-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
td.gain { color: #1e7a45; } td.loss { color: #b03022; }
td.pass { color: #1e7a45; font-weight: 600; } td.fail { color: #b03022; font-weight: 600; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid #e6e9ee; }
.scroll table.aq-table { margin: 0; }
.wide { overflow-x: auto; }
table.aq-table td.detail { white-space: normal; min-width: 360px; }
table.aq-table td.hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.72rem; }
figure.aq-chart { margin: 0.6rem 0 1.2rem; }
figure.aq-chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8rem; color: #5a6472; }
.not-run { border-left: 4px solid #d9a400; background: #fff8e1; padding: 8px 12px; }
.verdict-pass { border-left: 4px solid #1e7a45; background: #edf7f0; padding: 8px 12px; }
.verdict-fail { border-left: 4px solid #b03022; background: #fbeeee; padding: 8px 12px; }
pre { background: #f6f7f9; border: 1px solid #e6e9ee; padding: 8px 10px; font-size: 0.8rem; overflow: auto; }
code { font-size: 0.85em; }
`;
