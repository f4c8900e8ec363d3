import Mustache

/// The dashboard's mustache templates, compiled into the binary (the hub needs no resource
/// files and loads nothing from the internet: CSS inline, charts as SVG, no JavaScript).
/// Every value is written with `{{ }}`, which HTML-escapes it, in SVG text too.
enum DashboardTemplates {
    /// The library with every template registered; `nil` only if a template fails to parse,
    /// which the tests rule out.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("head", head), ("foot", foot), ("login", login), ("overview", overview), ("records", records)] {
            try! library.register(text, named: name)
        }
        return library
    }()

    static let head = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{t.title}}</title>
        <style>
        *,*::before,*::after{box-sizing:border-box}
        body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2733;overflow-wrap:break-word}
        header{background:#b71c1c;color:#fff;padding:10px 24px;display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px}
        header h1{font-size:18px;margin:0;flex:1 1 12em}
        header a{color:#fff}
        main{padding:16px 24px;max-width:1200px}
        nav.crumbs{margin:4px 0 12px;font-size:14px}
        nav.crumbs a{color:#1a5fb4}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
        .card{background:#fff;border-radius:6px;padding:12px 16px;flex:1 1 140px;max-width:220px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
        .card .v{font-size:26px;font-weight:bold}
        .card .l{font-size:13px;color:#555}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:16px}
        section{background:#fff;border-radius:6px;padding:12px 16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.1);min-width:0}
        section h2{font-size:16px;margin:0 0 8px}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;width:100%;font-size:14px}
        th,td{border-bottom:1px solid #e3e5e8;padding:4px 8px;text-align:left;white-space:nowrap}
        td.name{white-space:normal;min-width:7em}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        small.id{color:#555;overflow-wrap:anywhere}
        tr.direct td{font-style:italic}
        .status-ok{background:#d8f3dc}
        .status-conflicts{background:#fff3bf}
        .status-behind{background:#ffd6d6}
        .status-never{background:#ffe0b2}
        .status-revoked{background:#e0e0e0;color:#666}
        svg.chart{display:block;width:100%;height:auto}
        svg text{font-size:13px;fill:#333}
        form.login{background:#fff;padding:24px;max-width:420px;border-radius:6px}
        form.login input[type=password]{width:100%;padding:6px;margin:8px 0}
        form.picker{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
        .error{color:#b71c1c}
        footer{color:#777;font-size:12px;padding:0 24px 16px}
        @media (max-width:600px){header{padding:8px 12px}main{padding:12px}section{padding:10px 12px}.card{padding:8px 12px}.card .v{font-size:22px}footer{padding:0 12px 12px}}
        </style>
        </head>
        <body>
        <header><h1>{{t.title}}</h1><a href="?lang={{otherLang}}">{{t.switchLanguage}}</a>{{#signedIn}}<form method="post" action="/logout" style="margin:0"><button type="submit">{{t.signOut}}</button></form>{{/signedIn}}</header>
        <main>
        """

    static let foot = """
        </main>
        <footer>{{#generated}}{{t.generated}}: {{generated}}{{/generated}}</footer>
        </body>
        </html>
        """

    static let login = """
        {{> head}}
        <form class="login" method="post" action="/login">
        <h2>{{t.login}}</h2>
        {{#error}}<p class="error">{{error}}</p>{{/error}}
        {{#next}}<input type="hidden" name="next" value="{{next}}">{{/next}}
        <label>{{t.token}}<input type="password" name="token" autocomplete="off" autofocus></label>
        <button type="submit">{{t.signIn}}</button>
        </form>
        {{> foot}}
        """

    static let overview = """
        {{> head}}
        <nav class="crumbs">{{#crumbs}}{{#link}}<a href="/org/{{id}}">{{name}}</a> › {{/link}}{{^link}}<strong>{{name}}</strong>{{/link}}{{/crumbs}}</nav>
        <h2 id="unit" data-unit="{{unitID}}">{{unitName}} <small>{{unitKind}}</small></h2>
        {{#county}}
        <div class="cards">{{#cards}}<div class="card"><div class="v">{{value}}</div><div class="l">{{label}}</div></div>{{/cards}}</div>
        <div class="grid">
        <section id="orders-chart"><h2>{{t.ordersByState}}</h2>
        {{#ordersChart}}<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {{width}} {{height}}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{{t.ordersByState}} · {{unitName}}"><title>{{t.ordersByState}} · {{unitName}}</title>
        <line x1="0" y1="{{baseline}}" x2="{{width}}" y2="{{baseline}}" stroke="#999"/>
        {{#bars}}<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" fill="{{colour}}"><title>{{label}}: {{value}}</title></rect>
        <text x="{{labelX}}" y="{{valueY}}" text-anchor="middle">{{value}}</text>
        <text x="{{labelX}}" y="{{labelY}}" text-anchor="middle">{{label}}</text>
        {{/bars}}{{#empty}}<text x="20" y="40">{{t.noData}}</text>{{/empty}}
        </svg>{{/ordersChart}}
        </section>
        <section id="hours-chart"><h2>{{t.hoursByMonth}}</h2>
        {{#hoursChart}}<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {{width}} {{height}}" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{{t.hoursByMonth}} · {{unitName}}"><title>{{t.hoursByMonth}} · {{unitName}}</title>
        {{#levels}}<line class="level" x1="{{left}}" y1="{{y}}" x2="{{width}}" y2="{{y}}" stroke="#e3e5e8"/><text class="level" x="{{left}}" dx="-6" y="{{textY}}" text-anchor="end">{{label}}</text>
        {{/levels}}<line x1="{{left}}" y1="{{baseline}}" x2="{{width}}" y2="{{baseline}}" stroke="#999"/>
        {{^empty}}<polyline points="{{polyline}}" fill="none" stroke="#b71c1c" stroke-width="2"/>{{/empty}}
        {{#points}}<circle cx="{{x}}" cy="{{y}}" r="3" fill="#b71c1c"><title>{{label}}: {{value}}</title></circle>{{/points}}
        {{#ticks}}<text x="{{x}}" y="{{labelY}}" text-anchor="middle">{{label}}</text>{{/ticks}}
        {{#empty}}<text x="60" y="40">{{t.noData}}</text>{{/empty}}
        </svg>{{/hoursChart}}
        </section>
        </div>
        {{#hasSubUnits}}<section id="subunits"><h2>{{t.subunits}}</h2>
        <div class="scroll"><table><thead><tr><th></th><th>{{t.members}}</th><th>{{t.orders}}</th><th>{{t.hours}}</th><th>{{t.openIncidents}}</th></tr></thead><tbody>
        {{#subUnits}}<tr{{#direct}} class="direct"{{/direct}}><td class="name">{{#link}}<a href="/org/{{id}}">{{name}}</a> <small>{{kind}}</small>{{/link}}{{^link}}{{name}}{{/link}}</td><td class="n">{{members}}</td><td class="n">{{orders}}</td><td class="n">{{hours}}</td><td class="n">{{openIncidents}}</td></tr>
        {{/subUnits}}</tbody></table></div></section>{{/hasSubUnits}}
        {{/county}}
        <section id="sync"><h2>{{t.syncHealth}}</h2>
        {{#hasStations}}<div class="scroll"><table><thead><tr><th>{{t.station}}</th><th>{{t.status}}</th><th>{{t.unit}}</th><th>{{t.lastContact}}</th><th>{{t.acked}}</th><th>{{t.refusals}}</th><th>{{t.conflicts}}</th></tr></thead><tbody>
        {{#stations}}<tr class="{{statusClass}}"><td class="name">{{name}} <small class="id">{{id}}</small></td><td>{{status}}</td><td>{{unit}}</td><td>{{lastContact}}</td><td class="n">{{acked}}</td><td class="n">{{refusals}}</td><td class="n">{{conflicts}}</td></tr>
        {{/stations}}</tbody></table></div>{{/hasStations}}{{^hasStations}}<p>{{t.noData}}</p>{{/hasStations}}
        </section>
        {{#hasTopMembers}}<section id="balances"><h2>{{t.topBalances}}</h2>
        <div class="scroll"><table><thead><tr><th>{{t.memberName}}</th><th>{{t.unitName}}</th><th>{{t.entries}}</th><th>{{t.balance}}</th></tr></thead><tbody>
        {{#topMembers}}<tr><td class="name">{{name}}</td><td class="name">{{unit}}</td><td class="n">{{entries}}</td><td class="n">{{balance}}</td></tr>
        {{/topMembers}}</tbody></table></div></section>{{/hasTopMembers}}
        {{> records}}
        <section id="downloads"><h2>{{t.downloads}}</h2><ul>
        {{#downloads}}<li><a href="{{href}}">{{title}}</a></li>{{/downloads}}
        </ul></section>
        {{> foot}}
        """

    /// Any record type of the hub's schema, picked by name: its counts per sub-unit (rolled up,
    /// with the unit's own records as "held directly") and its first records, with the export
    /// links. A plain GET form, no JavaScript.
    static let records = """
        {{#records}}<section id="records"><h2>{{t.recordsOfType}}</h2>
        <form class="picker" method="get" action="{{action}}"><label for="type-picker">{{t.recordType}}</label>
        <select id="type-picker" name="type">{{#types}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/types}}</select>
        <button type="submit">{{t.show}}</button></form>
        {{#chosen}}<div class="scroll"><table id="record-counts"><thead><tr><th></th><th>{{t.records}}</th></tr></thead><tbody>
        {{#counts}}<tr{{#direct}} class="direct"{{/direct}}><td class="name">{{#link}}<a href="/org/{{id}}?type={{type}}">{{name}}</a>{{/link}}{{^link}}{{name}}{{/link}}</td><td class="n">{{count}}</td></tr>
        {{/counts}}</tbody></table></div>
        {{#hasRows}}<p>{{shownLabel}}</p><div class="scroll"><table id="record-rows"><thead><tr>{{#columns}}<th>{{.}}</th>{{/columns}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
        {{/rows}}</tbody></table></div>{{/hasRows}}
        <p><a href="{{csv}}">{{t.downloadCSV}}</a> · <a href="{{json}}">{{t.downloadJSON}}</a></p>{{/chosen}}
        </section>{{/records}}
        """
}
