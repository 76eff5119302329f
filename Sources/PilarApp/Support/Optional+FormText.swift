import Foundation

extension Optional where Wrapped == String {
    /// A posted text field as the forms read it: trimmed of spaces and new lines, empty when absent.
    var formText: String {
        (self ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
