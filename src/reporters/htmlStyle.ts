/**
 * The HTML report's stylesheet: one column on a phone (the findings table becomes a list of cards,
 * each cell labelled), a grid of cards and charts on wider screens, and a print layout without the
 * filter controls, with table headers repeated on every page. Colours keep WCAG AA contrast.
 */
export const HTML_STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
header,main,footer{max-width:1320px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:28px 0 10px}
section{margin-bottom:8px}
a{color:#0b5cad}
code{font:0.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:break-word}
.lede{margin:0;color:#424a53}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;list-style:none;margin:0;padding:0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;min-width:0}
.card h3{font-size:0.8rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:#424a53;margin:0 0 4px}
.card .big{font-size:1.8rem;font-weight:700;line-height:1.2;margin:0}
.card .mid{font-size:1.25rem;font-weight:700;line-height:1.3;margin:0}
.card ul{list-style:none;margin:4px 0 0;padding:0;font-size:0.9rem}
.card li{display:flex;justify-content:space-between;gap:8px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:16px}
figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px;min-width:0}
figcaption{font-weight:600;margin-bottom:8px}
.chart-box{position:relative;height:300px;width:100%}
.empty{color:#424a53;font-style:italic}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin-bottom:10px}
.controls label{display:flex;flex-direction:column;font-size:0.85rem;font-weight:600}
.controls input,.controls select{font:inherit;padding:6px 8px;border:1px solid #8c959f;border-radius:6px;background:#fff;min-width:0}
.controls input{width:min(22rem,calc(100vw - 32px))}
.status{margin:0;color:#424a53}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de;font-size:0.9rem}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #d8dee4;overflow-wrap:break-word}
th{background:#eef1f4;font-size:0.85rem;white-space:nowrap}
td[data-label=Commit] code,td time{white-space:nowrap}
.table-scroll{overflow-x:auto}
th button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:left}
th button::after{content:" \\2195";color:#6e7781}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
tr[hidden]{display:none!important}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:0.8rem;font-weight:700;white-space:nowrap}
.sev-critical{background:#f9d0d0;color:#6e0b0b}
.sev-high{background:#fde0c8;color:#7a2e00}
.sev-medium{background:#fdf0c2;color:#5c4400}
.sev-low{background:#dbeefa;color:#0b4a6f}
.over{color:#8f1d21;font-weight:700}
.related{display:block;font-size:0.85rem;color:#424a53}
footer{padding-top:16px;padding-bottom:32px;color:#424a53;font-size:0.85rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:700px){
  body{font-size:14px}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack{border:0;background:none}
  table.stack thead tr{display:flex;flex-wrap:wrap;gap:4px 12px;background:#eef1f4;border:1px solid #d0d7de;border-radius:8px;padding:6px 8px;margin-bottom:8px}
  table.stack thead th{background:none;border:0;padding:0}
  table.stack tbody tr{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin-bottom:10px;padding:4px 0}
  table.stack td{position:relative;border:0;padding:3px 10px 3px calc(7.5rem + 18px);min-height:1.9em}
  table.stack td::before{content:attr(data-label);position:absolute;left:10px;width:7.5rem;font-weight:600;color:#424a53}
}
@media print{
  body{background:#fff;font-size:10pt}
  header,main,footer{max-width:none;padding:0}
  .controls,.no-print{display:none!important}
  h2{break-after:avoid}
  figure,.card{break-inside:avoid;border-color:#999}
  .charts{grid-template-columns:1fr 1fr}
  .chart-box{height:230px}
  table{font-size:8pt;border-color:#999}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  th button::after{content:none}
  a{color:inherit;text-decoration:none}
}
`;
