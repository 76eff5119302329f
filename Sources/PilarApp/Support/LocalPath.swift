import PilarCore

/// Redirect targets taken from a form or query: only paths on this site (`LocalRedirect` in PilarCore).
enum LocalPath {
    static func safe(_ path: String?) -> String { LocalRedirect.safe(path) }
}
