import Foundation
import Yams

/// Reads an instrument file (YAML; JSON is valid YAML) into an `Instrument`, reporting every
/// problem with its line and path instead of stopping at the first.
public enum InstrumentParser {
    /// Parses and validates. Throws `InstrumentFileError` listing all problems.
    public static func parse(_ text: String) throws(InstrumentFileError) -> Instrument {
        var reader = Reader()
        let instrument = reader.read(text)
        var issues = reader.issues
        if let instrument {
            issues += InstrumentValidator.validate(instrument) { reader.lines[$0] }
        }
        guard issues.isEmpty, let instrument else {
            throw InstrumentFileError(issues: issues)
        }
        return instrument
    }

    static let topKeys: Set<String> = [
        "id", "title", "authority", "edition", "year", "model", "note", "scale", "predicates", "rounding", "groups",
    ]
    static let nodeKeys: Set<String> = [
        "code", "title", "weight", "explanation", "pillar", "element", "na_allowed", "rubric", "levels", "children",
    ]

    /// Walks the YAML node tree, remembering the line of every path it visits.
    struct Reader {
        var issues: [InstrumentIssue] = []
        var lines: [String: Int] = [:]

        mutating func fail(_ node: Node?, _ path: String, _ message: String) {
            issues.append(InstrumentIssue(line: node?.mark?.line, path: path, message: message))
        }

        mutating func read(_ text: String) -> Instrument? {
            let root: Node?
            do {
                root = try Yams.compose(yaml: text)
            } catch let error as YamlError {
                issues.append(Self.syntaxIssue(error))
                return nil
            } catch {
                issues.append(InstrumentIssue(line: nil, path: "", message: "cannot read the file: \(error)"))
                return nil
            }
            guard let root, let map = root.mapping else {
                fail(root, "", "the file must be a mapping with id, title, scale, predicates, rounding and groups")
                return nil
            }
            checkKeys(map, allowed: InstrumentParser.topKeys, path: "")
            let id = string(map, "id", "", required: true) ?? ""
            if !id.isEmpty, id.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) == nil {
                fail(map["id"], "id", "id '\(id)' may hold only letters, digits, '.', '_' and '-'")
            }
            let scale = readScale(map["scale"], root: root)
            let predicates = readPredicates(map["predicates"], root: root)
            let rounding = readRounding(map["rounding"], root: root)
            var groups: [InstrumentNode] = []
            if let seq = map["groups"]?.sequence, !seq.isEmpty {
                for (i, child) in seq.enumerated() {
                    if let node = readNode(child, path: "groups[\(i)]") { groups.append(node) }
                }
            } else {
                fail(map["groups"] ?? root, "groups", "groups must be a non-empty list")
            }
            return Instrument(
                id: id,
                title: string(map, "title", "", required: true) ?? "",
                authority: string(map, "authority", "", required: true) ?? "",
                edition: string(map, "edition", "", required: true) ?? "",
                year: int(map, "year", ""),
                isModel: bool(map, "model", "") ?? false,
                note: string(map, "note", ""),
                scale: scale ?? LevelScale(min: 0, max: 0, levels: []),
                predicates: predicates,
                rounding: rounding ?? RoundingRule(digits: 2, mode: .halfUp),
                groups: groups)
        }

        static func syntaxIssue(_ error: YamlError) -> InstrumentIssue {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
                let .composer(context, problem, mark, _):
                let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
                return InstrumentIssue(line: mark.line, path: "", message: "YAML syntax error at column \(mark.column): \(text)")
            case let .reader(problem, offset, _, _):
                return InstrumentIssue(line: nil, path: "", message: "cannot read the file (byte \(offset ?? 0)): \(problem)")
            default:
                return InstrumentIssue(line: nil, path: "", message: "YAML syntax error: \(error)")
            }
        }

        mutating func checkKeys(_ map: Node.Mapping, allowed: Set<String>, path: String) {
            for (key, _) in map {
                guard let name = key.string else { continue }
                if !allowed.contains(name) {
                    fail(key, path, "unknown key '\(name)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
                }
            }
        }

        func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        mutating func string(_ map: Node.Mapping, _ key: String, _ path: String, required: Bool = false) -> String? {
            guard let node = map[key], node.null == nil else {
                if required { fail(map[key] ?? .mapping(map), join(path, key), "'\(key)' is missing") }
                return nil
            }
            guard let scalar = node.scalar else {
                fail(node, join(path, key), "'\(key)' must be text")
                return nil
            }
            let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && value.isEmpty { fail(node, join(path, key), "'\(key)' must not be empty") }
            return value
        }

        mutating func number(_ map: Node.Mapping, _ key: String, _ path: String, required: Bool = false) -> Double? {
            guard let node = map[key], node.null == nil else {
                if required { fail(.mapping(map), join(path, key), "'\(key)' is missing") }
                return nil
            }
            guard let scalar = node.scalar, let value = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
                value.isFinite
            else {
                fail(node, join(path, key), "'\(key)' must be a number, found '\(node.scalar?.string ?? "a list or mapping")'")
                return nil
            }
            return value
        }

        mutating func int(_ map: Node.Mapping, _ key: String, _ path: String, required: Bool = false) -> Int? {
            guard let value = number(map, key, path, required: required) else { return nil }
            guard value == value.rounded(), abs(value) < 1e9 else {
                fail(map[key], join(path, key), "'\(key)' must be a whole number, found \(value)")
                return nil
            }
            return Int(value)
        }

        mutating func bool(_ map: Node.Mapping, _ key: String, _ path: String) -> Bool? {
            guard let node = map[key], node.null == nil else { return nil }
            guard let value = node.bool else {
                fail(node, join(path, key), "'\(key)' must be true or false")
                return nil
            }
            return value
        }

        mutating func readScale(_ node: Node?, root: Node) -> LevelScale? {
            guard let map = node?.mapping else {
                fail(node ?? root, "scale", "scale must be a mapping with min, max and levels")
                return nil
            }
            checkKeys(map, allowed: ["min", "max", "levels"], path: "scale")
            let min = number(map, "min", "scale", required: true)
            let max = number(map, "max", "scale", required: true)
            let levels = readLevels(map["levels"], path: "scale.levels", required: true)
            guard let min, let max else { return nil }
            if min >= max { fail(map["max"], "scale.max", "scale max (\(max)) must be greater than min (\(min))") }
            return LevelScale(min: min, max: max, levels: levels ?? [])
        }

        mutating func readLevels(_ node: Node?, path: String, required: Bool) -> [NamedLevel]? {
            guard let node else {
                if required { fail(nil, path, "levels are missing") }
                return nil
            }
            guard let seq = node.sequence else {
                fail(node, path, "levels must be a list of {level, name, description}")
                return nil
            }
            var levels: [NamedLevel] = []
            for (i, item) in seq.enumerated() {
                let p = "\(path)[\(i)]"
                guard let map = item.mapping else { fail(item, p, "each level must be a mapping"); continue }
                checkKeys(map, allowed: ["level", "name", "description"], path: p)
                let level = int(map, "level", p, required: true)
                let name = string(map, "name", p, required: true)
                if let level, let name {
                    levels.append(NamedLevel(level: level, name: name, description: string(map, "description", p)))
                }
            }
            return levels
        }

        mutating func readPredicates(_ node: Node?, root: Node) -> [PredicateBand] {
            guard let seq = node?.sequence, !seq.isEmpty else {
                fail(node ?? root, "predicates", "predicates must be a non-empty list of {name, min, max}")
                return []
            }
            var bands: [PredicateBand] = []
            for (i, item) in seq.enumerated() {
                let p = "predicates[\(i)]"
                lines[p] = item.mark?.line
                guard let map = item.mapping else { fail(item, p, "each predicate must be a mapping"); continue }
                checkKeys(map, allowed: ["name", "min", "max"], path: p)
                let name = string(map, "name", p, required: true)
                let min = number(map, "min", p, required: true)
                let max = number(map, "max", p)
                if let name, let min { bands.append(PredicateBand(name: name, min: min, max: max)) }
            }
            return bands
        }

        mutating func readRounding(_ node: Node?, root: Node) -> RoundingRule? {
            guard let map = node?.mapping else {
                fail(node ?? root, "rounding", "rounding must be a mapping with digits and mode (half-up or truncate)")
                return nil
            }
            checkKeys(map, allowed: ["digits", "mode"], path: "rounding")
            let digits = int(map, "digits", "rounding", required: true)
            let modeText = string(map, "mode", "rounding", required: true)
            if let digits, !(0...6).contains(digits) {
                fail(map["digits"], "rounding.digits", "digits must be between 0 and 6, found \(digits)")
            }
            var mode: RoundingRule.Mode?
            if let modeText {
                mode = RoundingRule.Mode(rawValue: modeText)
                if mode == nil { fail(map["mode"], "rounding.mode", "mode must be 'half-up' or 'truncate', found '\(modeText)'") }
            }
            guard let digits, let mode else { return nil }
            return RoundingRule(digits: digits, mode: mode)
        }

        mutating func readNode(_ node: Node, path: String) -> InstrumentNode? {
            lines[path] = node.mark?.line
            guard let map = node.mapping else {
                fail(node, path, "each group or indicator must be a mapping")
                return nil
            }
            checkKeys(map, allowed: InstrumentParser.nodeKeys, path: path)
            let code = string(map, "code", path, required: true) ?? ""
            let label = code.isEmpty ? path : "\(path) (\(code))"
            let title = string(map, "title", label, required: true) ?? ""
            let weight = number(map, "weight", label, required: true) ?? 0
            let levels = readLevels(map["levels"], path: join(label, "levels"), required: false)
            let base = InstrumentNode(
                kind: .group, code: code, title: title, weight: weight,
                explanation: string(map, "explanation", label),
                pillar: string(map, "pillar", label), element: string(map, "element", label),
                naAllowed: bool(map, "na_allowed", label) ?? false, levelLabels: levels)
            let childrenNode = map["children"]
            let rubricNode = map["rubric"]
            if childrenNode != nil && rubricNode != nil {
                fail(node, label, "a node has either children (a group) or a rubric (an indicator), not both")
            }
            if let childrenNode {
                guard let seq = childrenNode.sequence, !seq.isEmpty else {
                    fail(childrenNode, join(label, "children"), "children must be a non-empty list")
                    return base
                }
                var group = base
                group.children = seq.enumerated().compactMap { i, child in
                    readNode(child, path: "\(path).children[\(i)]")
                }
                return group
            }
            var indicator = base
            indicator.kind = .indicator
            guard let rubricNode else {
                fail(node, label, "indicator has no rubric (a group needs children, an indicator a rubric)")
                return indicator
            }
            guard let seq = rubricNode.sequence else {
                fail(rubricNode, join(label, "rubric"), "rubric must be a list of {level, criteria, evidence}")
                return indicator
            }
            for (i, item) in seq.enumerated() {
                let p = "\(label).rubric[\(i)]"
                guard let m = item.mapping else { fail(item, p, "each rubric level must be a mapping"); continue }
                checkKeys(m, allowed: ["level", "criteria", "evidence"], path: p)
                let level = int(m, "level", p, required: true)
                let criteria = string(m, "criteria", p, required: true)
                let evidence = string(m, "evidence", p, required: true)
                if let level, let criteria, let evidence {
                    lines["\(path).rubric[\(i)]"] = item.mark?.line
                    indicator.rubric.append(RubricLevel(level: level, criteria: criteria, evidence: evidence))
                }
            }
            return indicator
        }
    }
}
