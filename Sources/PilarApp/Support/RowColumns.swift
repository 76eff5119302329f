import Foundation
import SQLKit

/// Reading a large result column by column, for the few statements that read a whole cycle
/// (a thousand answers at scale 10, on every rebuild after a write): `SQLRowDecoder` builds a keyed
/// container per row and parses each UUID stored as text with `sscanf`, which together cost more
/// than SQLite's reading of the rows.
struct RowColumns {
    let row: any SQLRow
    /// SQLite keeps UUIDs as text; PostgreSQL as `uuid`.
    let uuidsAsText: Bool

    init(_ row: any SQLRow, dialect: any SQLDialect) {
        self.row = row
        uuidsAsText = dialect.name == "sqlite"
    }

    func callAsFunction<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try row.decode(column: column, as: T.self)
    }

    func uuid(_ column: String) throws -> UUID {
        if uuidsAsText, let text = try? row.decode(column: column, as: String.self), let id = UUID(hexText: text) { return id }
        return try row.decode(column: column, as: UUID.self)
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        if try row.decodeNil(column: column) { return nil }
        return try uuid(column)
    }
}

extension UUID {
    /// `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX` (either case) without going through `sscanf`; nil
    /// for anything else.
    init?(hexText text: String) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok: Bool = withUnsafeMutableBytes(of: &bytes) { out in
            var utf8 = text.utf8.makeIterator()
            var index = 0, position = 0
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: c - 0x30
                case 0x41...0x46: c - 0x41 + 10
                case 0x61...0x66: c - 0x61 + 10
                default: nil
                }
            }
            while index < 16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard utf8.next() == 0x2D else { return false }
                    position += 1
                }
                guard let high = utf8.next().flatMap(nibble), let low = utf8.next().flatMap(nibble) else { return false }
                out[index] = high << 4 | low
                index += 1
                position += 2
            }
            return utf8.next() == nil
        }
        guard ok else { return nil }
        self.init(uuid: bytes)
    }
}
