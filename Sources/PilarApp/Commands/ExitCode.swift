/// Ends the program with `code` after the command has printed what it had to say.
public struct ExitCode: Error, Sendable {
    public var code: Int32
    public init(_ code: Int32) { self.code = code }
}
