"""The HTML document around the report's sections: style, script, navigation.

One file that works offline: every style and the script are inline, nothing is loaded
from anywhere, and a Content-Security-Policy says so to the browser (no connection to
any host; only the report's own script, by its hash, may run, so even markup that
slipped through escaping could not execute). The script (about 2 KB) only adds
conveniences: the value under the pointer on line charts, legend entries that hide
and show a series, and tables sorted by a click on their heading. Everything it shows
is also in the tables, so the report reads the same without it and on paper.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from pbench.report.charts.svg import esc

STYLE = """
:root{--fg:#1a1a1a;--muted:#5f6368;--line:#d0d4d9;--bg:#fff;--soft:#f5f6f8}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1100px;padding:0 20px 40px}
header{border-bottom:2px solid var(--fg);margin-bottom:12px}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px;
border-bottom:1px solid var(--line)}h3{font-size:15px;margin:20px 0 6px}
nav{position:sticky;top:0;background:var(--bg);padding:6px 0;border-bottom:1px solid
var(--line);font-size:13px;z-index:2}nav a{margin-right:12px;color:#0b57d0}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--soft);
padding:1px 4px;border-radius:3px;overflow-wrap:anywhere;white-space:pre-wrap}
table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 10px 3px 0;text-align:left;
vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}caption{text-align:left;font-weight:600;padding:4px 0}
table.sortable th{cursor:pointer}table.sortable th:hover{text-decoration:underline}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
figure.chart-box{margin:10px 0;overflow-x:auto}figcaption{color:var(--muted);font-size:12px}
svg.chart{max-width:100%;height:auto;background:#fff}
.chart-title{fill:var(--fg)}.tick,.axis-title,.note,.row-label{fill:#333}
.axis{stroke:#333;stroke-width:1}.grid{stroke:#e6e8eb;stroke-width:1}
.box{fill-opacity:.35;stroke:#333}.whisker{stroke:#333}.median{stroke:#000;stroke-width:2}
.median-ci{fill:#e69f00;fill-opacity:.3}.mean{fill:#fff;stroke:#000}.outliers{fill:#555}
.bar{stroke:#fff;stroke-width:.5}.bar.overflow{fill:#999}.line{stroke-width:1.3}
.median-line{stroke:#555;stroke-dasharray:4 3}.noise-band{fill:#bbb;fill-opacity:.35}
.unity{stroke:#333}.change{stroke:#d55e00;stroke-width:1.5;stroke-dasharray:5 3}
.baseline{stroke:#009e73;stroke-width:2}.interval,.error-bar{stroke-width:2}
.series.off{display:none}.series-toggle{cursor:pointer}.series-toggle.off{opacity:.35}
.status-met,.verdict-same{color:#0b7a3e}.status-at_risk,.verdict-inconclusive{color:#a15c00}
.status-broken,.verdict-slower{color:#b3261e;font-weight:600}.verdict-faster{color:#0b7a3e}
.status-no_data{color:var(--muted)}.muted{color:var(--muted)}
.bench-grid{display:grid;grid-template-columns:minmax(260px,330px) minmax(0,1fr);gap:18px}
@media (max-width:900px){.bench-grid{display:block}}
ul.warnings li{margin:3px 0}.score{font-size:20px;font-weight:700}
#tip{position:fixed;pointer-events:none;background:#222;color:#fff;font-size:12px;
padding:3px 6px;border-radius:3px;display:none;z-index:3;white-space:nowrap}
@media print{nav,#tip{display:none}.bench-grid{display:block}body{max-width:none;padding:0}
section,figure,table{break-inside:avoid}h2,h3{break-after:avoid}
details>*{display:block}details>summary{list-style:none}a{color:inherit}}
"""

SCRIPT = r"""
(function(){
var tip=document.getElementById('tip');
function fmt(v,q){if(!isFinite(v))return'';
if(q==='time'){var a=Math.abs(v),u=a>=1?[1,'s']:a>=1e-3?[1e3,'ms']:a>=1e-6?[1e6,'µs']:[1e9,'ns'];
return(v*u[0]).toPrecision(4)+' '+u[1];}
if(q==='count')return Math.round(v).toLocaleString('en');
if(q==='rate')return v.toPrecision(4)+'/s';return v.toPrecision(4);}
function axis(s){var p=s.split(' ');return{p0:+p[0],p1:+p[1],v0:+p[2],v1:+p[3],q:p[4]};}
function val(a,px){return a.v0+(px-a.p0)*(a.v1-a.v0)/(a.p1-a.p0);}
document.querySelectorAll('svg.chart[data-x]').forEach(function(svg){
var ax=axis(svg.dataset.x),ay=axis(svg.dataset.y);
svg.addEventListener('mousemove',function(e){var m=svg.getScreenCTM();if(!m)return;
var pt=svg.createSVGPoint();pt.x=e.clientX;pt.y=e.clientY;var p=pt.matrixTransform(m.inverse());
if(p.x<ax.p0||p.x>ax.p1||p.y>ay.p0||p.y<ay.p1){tip.style.display='none';return;}
tip.textContent=fmt(val(ax,p.x),ax.q)+' · '+fmt(val(ay,p.y),ay.q);tip.style.display='block';
tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';});
svg.addEventListener('mouseleave',function(){tip.style.display='none';});});
document.querySelectorAll('.series-toggle').forEach(function(t){
function flip(){var svg=t.closest('svg'),i=t.getAttribute('data-series');
t.classList.toggle('off');svg.querySelectorAll('.series[data-series="'+i+'"]').forEach(
function(s){s.classList.toggle('off');});}
t.addEventListener('click',flip);t.addEventListener('keydown',function(e){
if(e.key==='Enter'||e.key===' '){e.preventDefault();flip();}});});
document.querySelectorAll('table.sortable').forEach(function(table){
table.querySelectorAll('th').forEach(function(th,col){th.addEventListener('click',function(){
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),up=th.dataset.dir!=='up';
table.querySelectorAll('th').forEach(function(h){delete h.dataset.dir;});
th.dataset.dir=up?'up':'down';
function key(r){var c=r.cells[col];if(!c)return'';var s=c.getAttribute('data-sort');
return s===null?c.textContent:parseFloat(s);}
rows.sort(function(a,b){var x=key(a),y=key(b),d=typeof x==='number'&&typeof y==='number'?x-y:
String(x).localeCompare(String(y));return up?d:-d;});
rows.forEach(function(r){body.appendChild(r);});
});});});
window.addEventListener('beforeprint',function(){
document.querySelectorAll('details').forEach(function(d){d.open=true;});});
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source that lets exactly this script run."""
    digest = hashlib.sha256(script.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def page(title: str, nav: Sequence[tuple[str, str]], body: str) -> str:
    """The whole document; ``nav`` holds (element id, link text) pairs."""
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_hash()}; base-uri 'none'; form-action 'none'"
    )
    links = "".join(f'<a href="#{esc(ident)}">{esc(text)}</a>' for ident, text in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="pbench"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head><body>"
        f"<nav>{links}</nav>{body}"
        f'<div id="tip" role="status"></div><script>{SCRIPT}</script></body></html>\n'
    )
