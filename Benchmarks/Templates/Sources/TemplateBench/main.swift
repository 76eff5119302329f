import Foundation
import LeafKit
import Mustache
import NIOCore
import NIOPosix

// The work list's table rows (Resources/Views/worklist_content.leaf) rendered three ways from the
// same 50 rows: Leaf (LeafKit, the context already as LeafData, so Leaf's best case: Pilar also
// pays LeafEncoder), swift-mustache (a dictionary context, and a struct context read by Mirror),
// and typed Swift with one escaping function. Every value is escaped, attributes included; each
// output is checked for the hostile title's escaping before anything is timed.

struct Row {
    var code, title, group, agency, status, statusKey, level, link: String
    var missing: [String]
    var note: String?
    var updated: String?
}

let rows: [Row] = (1...50).map { i in
    Row(code: "BL.\(i / 10).\(i % 10)", title: i == 7 ? "Perwali \"<script>alert(1)</script>\" & Co" : "Tata kelola layanan digital nomor \(i)",
        group: "Smart Branding › Tata kelola", agency: "DISKOMINFO", status: "Draf", statusKey: i % 3 == 0 ? "returned" : "draft",
        level: "3", link: "/cycles/2022/indicators/BL.\(i / 10).\(i % 10)\"onmouseover=x",
        missing: i % 2 == 0 ? ["Level belum dipilih", "Penjelasan belum diisi"] : [],
        note: i % 3 == 0 ? "Mohon lengkapi bukti <b>SK</b>." : nil, updated: "27 September 2022 14.05")
}

let leafTemplate = """
#for(r in rows):
  <tr>
    <td><a href="#(r.link)"><span class="code">#(r.code)</span>#(r.title)</a><div class="small muted">#(r.group)</div></td>
    <td>#(r.agency)</td>
    <td><span class="chip status-#(r.statusKey)">#(r.status)</span>#if(r.updated):<div class="small muted">#(r.updated)</div>#endif</td>
    <td class="num">#(r.level)</td>
    <td>#if(r.note):<div class="#if(r.statusKey == "returned"):returned-note#else:small#endif">#(r.note)</div>#endif#for(m in r.missing):<div class="small">• #(m)</div>#endfor</td>
  </tr>
#endfor
"""

let mustacheTemplate = """
{{#rows}}
  <tr>
    <td><a href="{{link}}"><span class="code">{{code}}</span>{{title}}</a><div class="small muted">{{group}}</div></td>
    <td>{{agency}}</td>
    <td><span class="chip status-{{statusKey}}">{{status}}</span>{{#updated}}<div class="small muted">{{updated}}</div>{{/updated}}</td>
    <td class="num">{{level}}</td>
    <td>{{#note}}<div class="{{#returned}}returned-note{{/returned}}{{^returned}}small{{/returned}}">{{note}}</div>{{/note}}{{#missing}}<div class="small">• {{.}}</div>{{/missing}}</td>
  </tr>
{{/rows}}
"""

func escape(_ s: String) -> String {
    // Most values have nothing to escape: returned as they are.
    guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

func typed(_ rows: [Row]) -> String {
    var h = ""
    h.reserveCapacity(rows.count * 600)
    for r in rows {
        h += "  <tr>\n    <td><a href=\"\(escape(r.link))\"><span class=\"code\">\(escape(r.code))</span>\(escape(r.title))</a><div class=\"small muted\">\(escape(r.group))</div></td>\n"
        h += "    <td>\(escape(r.agency))</td>\n"
        h += "    <td><span class=\"chip status-\(escape(r.statusKey))\">\(escape(r.status))</span>"
        if let u = r.updated { h += "<div class=\"small muted\">\(escape(u))</div>" }
        h += "</td>\n    <td class=\"num\">\(escape(r.level))</td>\n    <td>"
        if let n = r.note { h += "<div class=\"\(r.statusKey == "returned" ? "returned-note" : "small")\">\(escape(n))</div>" }
        for m in r.missing { h += "<div class=\"small\">• \(escape(m))</div>" }
        h += "</td>\n  </tr>\n"
    }
    return h
}

struct MemorySource: LeafSource {
    let templates: [String: String]
    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        guard let text = templates[template] else { return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template))) }
        return eventLoop.makeSucceededFuture(ByteBuffer(string: text))
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let sources = LeafSources.singleSource(MemorySource(templates: ["rows": leafTemplate]))
let leaf = LeafRenderer(configuration: LeafConfiguration(rootDirectory: "/"), sources: sources, eventLoop: loop)
func leafData(_ r: Row) -> LeafData {
    var d: [String: LeafData] = ["code": .string(r.code), "title": .string(r.title), "group": .string(r.group),
                                 "agency": .string(r.agency), "status": .string(r.status), "statusKey": .string(r.statusKey),
                                 "level": .string(r.level), "link": .string(r.link), "missing": .array(r.missing.map { .string($0) })]
    d["note"] = r.note.map { .string($0) } ?? .trueNil
    d["updated"] = r.updated.map { .string($0) } ?? .trueNil
    return .dictionary(d)
}
func leafRender() throws -> String {
    let context: [String: LeafData] = ["rows": .array(rows.map(leafData))]
    return String(buffer: try leaf.render(path: "rows", context: context).wait())
}

let mustache = try MustacheTemplate(string: mustacheTemplate)
func mustacheDictionary() -> String {
    let context: [String: Any] = ["rows": rows.map { r -> [String: Any] in
        var d: [String: Any] = ["code": r.code, "title": r.title, "group": r.group, "agency": r.agency, "status": r.status,
                                "statusKey": r.statusKey, "level": r.level, "link": r.link, "missing": r.missing,
                                "returned": r.statusKey == "returned"]
        if let n = r.note { d["note"] = n }
        if let u = r.updated { d["updated"] = u }
        return d
    }]
    return mustache.render(context)
}
struct MustacheRow {
    var code, title, group, agency, status, statusKey, level, link: String
    var missing: [String]
    var note: String?
    var updated: String?
    var returned: Bool
}
func mustacheMirror() -> String {
    let context = ["rows": rows.map { MustacheRow(code: $0.code, title: $0.title, group: $0.group, agency: $0.agency, status: $0.status,
                                                   statusKey: $0.statusKey, level: $0.level, link: $0.link, missing: $0.missing,
                                                   note: $0.note, updated: $0.updated, returned: $0.statusKey == "returned") }]
    return mustache.render(context)
}

// Each engine escapes the hostile title and the attribute's quote, and shows the same rows.
let outputs: [(String, () throws -> String)] = [
    ("Leaf (LeafKit, LeafData context)", leafRender),
    ("swift-mustache, dictionary context", mustacheDictionary),
    ("swift-mustache, struct context (Mirror)", mustacheMirror),
    ("typed Swift, one escape function", { typed(rows) }),
]
for (name, render) in outputs {
    let html = try render()
    let safe = html.contains("&lt;script&gt;") && !html.contains("<script>") && !html.contains("\"onmouseover")
        && !html.contains("<b>SK</b>")
    let count = html.components(separatedBy: "<tr>").count - 1
    guard safe, count == 50 else { fatalError("\(name): escaping \(safe), rows \(count)") }
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2000
print("50 work-list rows, \(iterations) renders each, one thread (median of 5 runs)")
for (name, render) in outputs {
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<(iterations / 5) { bytes = try render().utf8.count }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations / 5) / 1000)
    }
    let median = times.sorted()[2]
    print(name.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: "%8.1f µs per render  (%d bytes)", median, bytes))
}
try group.syncShutdownGracefully()
