/// The style sheet and script the HTML report carries inline (no network, no external assets).
enum HTMLAssets {
    static let style = """
    body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
    header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
    header p{margin:4px 0 0;color:#c9cfdb}main{padding:16px 24px}
    .cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:16px}
    .card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 14px;min-width:92px}
    .card b{display:block;font-size:22px}.card span{color:#5b6475;font-size:12px}
    .charts{display:flex;gap:16px;flex-wrap:wrap}.chart{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:6px}
    .chart rect{fill:#3b6fd8}.chart text{font-size:12px;fill:#1d2330}.chart .chart-title{font-weight:600}
    .filters{position:sticky;top:0;background:#f6f7f9;padding:10px 0;display:flex;gap:8px;flex-wrap:wrap;align-items:center;z-index:1}
    .filters select,.filters input{font:inherit;padding:4px 6px}#shown{font-weight:600;margin-left:8px}
    section.rule{background:#fff;border:1px solid #dde1e8;border-radius:6px;margin:12px 0;padding:8px 12px}
    section.rule h2{font-size:16px;margin:4px 0 8px}
    table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #e6e9ef;padding:6px;text-align:left;vertical-align:top}
    th{font-size:12px;color:#5b6475}td.rec{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-word}
    .sev-error{color:#b3261e;font-weight:600}.sev-warning{color:#a15c00;font-weight:600}.sev-info{color:#3c5a99}
    .st{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#e8ecf3}
    .st-baselined,.st-waived{background:#e3f1e6}.st-expired-waiver{background:#fde2e0}
    table.sources{width:auto;margin-bottom:12px}.sources td,.sources th{border:none;padding:2px 16px 2px 0}.hidden{display:none}
    """

    /// Filters by rule, severity, status and free text; `#rule=…&severity=…&status=…&q=…` in
    /// the URL sets them on load (and the controls write it back).
    static let script = """
    (function(){
    var f={rule:document.getElementById('f-rule'),severity:document.getElementById('f-severity'),status:document.getElementById('f-status'),q:document.getElementById('f-q')};
    var rows=Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
    var sections=Array.prototype.slice.call(document.querySelectorAll('section.rule'));
    function apply(){
      var q=f.q.value.toLowerCase(),shown=0;
      rows.forEach(function(r){
        var ok=(!f.rule.value||r.getAttribute('data-rule')===f.rule.value)&&(!f.severity.value||r.getAttribute('data-severity')===f.severity.value)&&(!f.status.value||r.getAttribute('data-status')===f.status.value)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
        r.classList.toggle('hidden',!ok);if(ok)shown++;});
      sections.forEach(function(s){s.classList.toggle('hidden',!s.querySelector('tr.finding:not(.hidden)'));});
      document.getElementById('shown-count').textContent=String(shown);
    }
    function fromHash(){
      var h=location.hash.replace(/^#/,'');
      h.split('&').forEach(function(p){var i=p.indexOf('=');if(i<0)return;var k=p.slice(0,i),v=decodeURIComponent(p.slice(i+1).replace(/\\+/g,' '));if(f[k])f[k].value=v;});
    }
    function toHash(){
      var parts=[];Object.keys(f).forEach(function(k){if(f[k].value)parts.push(k+'='+encodeURIComponent(f[k].value));});
      try{history.replaceState(null,'',parts.length?'#'+parts.join('&'):location.pathname+location.search);}catch(e){}
    }
    Object.keys(f).forEach(function(k){f[k].addEventListener(k==='q'?'input':'change',function(){apply();toHash();});});
    window.addEventListener('hashchange',function(){fromHash();apply();});
    fromHash();apply();document.body.setAttribute('data-ready','1');
    })();
    """
}
