/**
 * The report page's stylesheet. Colours pass WCAG AA: body text #1f2937 on white is 14.7:1, every
 * badge's white text on its colour is at least 5.9:1, links #1d4ed8 are 6.7:1. Focus is a 3 px
 * outline on every control. The print rules drop the controls and open every finding's details.
 */
export const REPORT_PAGE_STYLE = `
:root{--fg:#1f2937;--muted:#4b5563;--line:#d1d5db;--bg:#fff;--panel:#f3f4f6;--link:#1d4ed8;--focus:#1d4ed8;
--critical:#991b1b;--high:#9a3412;--medium:#854d0e;--low:#1e40af;--info:#374151;--unknown:#6b21a8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:8px}
.skip:focus{left:8px;z-index:10}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 20px}
header{padding-top:16px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.meta{color:var(--muted);margin:0}
.banner{border:2px solid var(--critical);background:#fef2f2;padding:8px 12px;margin:12px 0;font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:24px}
.counts table{border-collapse:collapse}
.counts th,.counts td{padding:3px 10px;border-bottom:1px solid var(--line);text-align:left}
.counts td{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;min-width:64px;text-align:center;padding:1px 6px;border-radius:3px;color:#fff;font-weight:600;font-size:12px;text-transform:uppercase}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}
.sev-low{background:var(--low)}.sev-info{background:var(--info)}.sev-unknown{background:var(--unknown)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:16px}
figure{margin:0;border:1px solid var(--line);padding:8px;border-radius:4px}
figcaption{font-weight:600;margin-bottom:4px}
.chart{min-height:220px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;background:var(--panel);padding:10px;border-radius:4px}
.filters label{display:flex;flex-direction:column;font-weight:600;font-size:13px;gap:2px}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid #6b7280;border-radius:3px;background:#fff;color:var(--fg);min-width:140px}
.filters input{min-width:240px}
.filters button,.toggle,th button{font:inherit;border:1px solid #6b7280;background:#fff;color:var(--fg);border-radius:3px;padding:3px 8px;cursor:pointer}
#count{margin:8px 0;font-weight:600}
table.findings{border-collapse:collapse;width:100%}
table.findings>thead th{position:sticky;top:0;background:#e5e7eb;text-align:left;padding:6px;font-size:13px;z-index:1}
th button{border:0;background:none;padding:0;font-weight:700}
th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\2191";color:var(--fg)}
th[aria-sort=descending] button::after{content:" \\2193";color:var(--fg)}
table.findings>tbody>tr>td,table.findings>tbody>tr>th{padding:5px 6px;border-top:1px solid var(--line);vertical-align:top;text-align:left}
table.findings>tbody>tr>th{font-weight:600;max-width:240px;word-break:break-word}
.res-type,.rg{font-size:12px;color:var(--muted);word-break:break-all}
.what{min-width:260px;max-width:460px;word-break:break-word}
.js tr.detail{display:none}
.js tbody.open tr.detail{display:table-row}
tr.detail>td{background:#f9fafb;border-top:0}
.detail-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:8px 24px}
.detail-grid>section{min-width:0}
table.changes,table.radius,table.trend{border-collapse:collapse;width:100%;font-size:13px}
table.changes th,table.changes td,table.radius th,table.radius td,table.trend th,table.trend td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
table.trend td{text-align:right}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
pre{margin:0;white-space:pre-wrap;word-break:break-all;max-height:240px;overflow:auto}
ul.events{margin:0;padding-left:18px}
.impact-graph{max-width:100%;height:auto;display:block;margin:6px 0}
.impact-graph .edge{fill:none;stroke:#4b5563;stroke-width:1.2}
.impact-graph rect{fill:#fff;stroke:#4b5563}
.impact-graph .root rect{fill:#fef2f2;stroke:var(--critical);stroke-width:2}
.impact-graph .internet rect{stroke:var(--high);stroke-width:2}
.impact-graph text{font-size:12px;fill:#111827}
.impact-graph text.type{font-size:11px;fill:#374151}
svg.defs{position:absolute}
.unknown-list li{margin-bottom:4px}
.js .nojs-note{display:none}
footer{color:var(--muted);margin-top:32px;padding-bottom:24px;font-size:12px}
@media print{
 .filters,.toggle,.skip,#count{display:none!important}
 .js tr.detail{display:table-row}
 #show-more,#show-all{display:none!important}
 table.findings>thead th{position:static}
 tbody.finding{break-inside:avoid}
 body{font-size:11px}
 a{color:#000}
 pre{max-height:none}
 .charts{display:block}
 figure{break-inside:avoid;margin-bottom:8px}
}
`;
