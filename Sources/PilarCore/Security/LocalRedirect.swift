import Foundation

/// Where Pilar may send a browser after a form (`next`, `back`): a path on this site, never another host.
///
/// Accepted only when it starts with one `/`, holds no character at or below U+0020 nor DEL nor
/// a backslash (browsers strip tabs and newlines and read `\` as `/`, so `/\t/host` becomes
/// `//host`), and `URLComponents` reads it with no scheme and no host. Anything else is `/`.
public enum LocalRedirect {
    public static func safe(_ path: String?) -> String {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), path.count <= 2000,
              !path.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" || !$0.isASCII && $0.properties.generalCategory == .format }),
              let components = URLComponents(string: path), components.scheme == nil, components.host == nil,
              components.user == nil, components.port == nil,
              components.path.hasPrefix("/"), !components.path.hasPrefix("//")
        else { return "/" }
        // Decoded once more, as some clients do, it must still not become `//host`.
        let decoded = (components.percentEncodedPath.removingPercentEncoding ?? "/").unicodeScalars
            .filter { $0.value > 0x20 && $0.value != 0x7F }.map { $0 == "\\" ? "/" : String($0) }.joined()
        if decoded.hasPrefix("//") { return "/" }
        return path
    }
}
