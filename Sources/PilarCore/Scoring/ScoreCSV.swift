import Foundation

/// Reads score files of rows `code,score` (or `code;score`), where score is a decimal (`3.5`, or `3,5`
/// with semicolons) or `NA`.
/// A header row `code,score` is allowed. Every problem is reported with its line.
public enum ScoreCSV {
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var issues: [String]
        public var description: String { issues.joined(separator: "\n") }
    }

    public static func parse(_ text: String, instrument: CompiledInstrument) throws(Problem) -> [String: LevelValue] {
        var values: [String: LevelValue] = [:]
        var issues: [String] = []
        let scale = instrument.instrument.scale
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNo = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = splitFields(String(line))
            guard fields.count == 2 else {
                issues.append("line \(lineNo): expected 2 fields 'code,score', found \(fields.count)")
                continue
            }
            let code = fields[0], raw = fields[1]
            if offset == 0, code.lowercased() == "code" { continue }
            guard instrument.slot(of: code) != nil else {
                issues.append("line \(lineNo): '\(code)' is not an indicator of \(instrument.instrument.id)")
                continue
            }
            if values[code] != nil {
                issues.append("line \(lineNo): '\(code)' appears more than once")
                continue
            }
            if raw.uppercased() == "NA" || raw.uppercased() == "N/A" {
                values[code] = .notApplicable
            } else if raw.isEmpty {
                values[code] = .missing
            } else if let v = Double(raw.replacingOccurrences(of: ",", with: ".")), v.isFinite {
                guard scale.contains(v) else {
                    issues.append("line \(lineNo): score \(raw) for '\(code)' is outside the scale \(InstrumentValidator.fmt(scale.min))–\(InstrumentValidator.fmt(scale.max))")
                    continue
                }
                values[code] = .score(v)
            } else {
                issues.append("line \(lineNo): score '\(raw)' for '\(code)' is not a number or NA")
            }
        }
        if !issues.isEmpty { throw Problem(issues: issues) }
        return values
    }

    /// Splits one CSV line on commas (or on semicolons, as Excel writes CSV in an Indonesian
    /// locale with a decimal comma), honouring double quotes.
    static func splitFields(_ line: String) -> [String] {
        let separator: Character = line.contains(";") ? ";" : ","
        var fields: [String] = [], current = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    quoted = false
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == separator {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else { current.append(c) }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }
}
