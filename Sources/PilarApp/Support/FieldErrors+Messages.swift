import PilarCore

extension FieldErrors {
    /// The failures as messages in the user's language, by field name, for a page's form.
    func messages(_ t: Catalog.Strings) -> [String: String] {
        keys.mapValues { t[$0] }
    }
}
