/// Sign-in names are unique across the installation, so each region's names carry the region's
/// own prefix (`kediri.dinkes`): a region's admin then never learns, from a "name taken" answer,
/// which names exist in another region.
public enum Usernames {
    /// What the admin typed, lowercased, with the region's prefix in front unless it is there already.
    public static func qualified(_ typed: String, prefix: String) -> String {
        let name = typed.trimmingSpaces().lowercased()
        guard !name.isEmpty else { return name }
        return name.hasPrefix(prefix + ".") ? name : prefix + "." + name
    }

    /// The part before the first dot, the prefix a name claims (nil without a dot).
    public static func claimedPrefix(_ username: String) -> String? {
        guard let dot = username.firstIndex(of: "."), dot != username.startIndex else { return nil }
        return String(username[..<dot])
    }
}
