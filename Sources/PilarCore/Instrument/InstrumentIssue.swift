/// One problem found in an instrument file, with where it is.
public struct InstrumentIssue: Sendable, Equatable, CustomStringConvertible {
    /// Line in the file (1-based), when known.
    public var line: Int?
    /// Path in the document, e.g. `groups[1].children[0] (O.2)`.
    public var path: String
    public var message: String

    public init(line: Int?, path: String, message: String) {
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        let place = [line.map { "line \($0)" }, path.isEmpty ? nil : path].compactMap { $0 }.joined(separator: ", ")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// Thrown when an instrument file has problems; carries all of them.
public struct InstrumentFileError: Error, Sendable, CustomStringConvertible {
    public var issues: [InstrumentIssue]
    public init(issues: [InstrumentIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
