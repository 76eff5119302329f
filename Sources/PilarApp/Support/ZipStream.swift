import Foundation
import ZIPFoundation

/// Writes a ZIP archive front to back, entry by entry, to a sink (an HTTP response), holding
/// one chunk of one file in memory at a time. Entries are stored (evidence files are PDFs,
/// images and Office documents, compressed already). Each entry's CRC-32 is computed while its
/// bytes pass and written in a data descriptor after them; ZIP64 records are used where a size
/// or an offset passes 4 GiB, so bundles of several GB open in any unzip tool.
struct ZipStream {
    typealias Sink = (Data) async throws -> Void

    private struct Entry {
        var name: Data
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
        var zip64: Bool
    }

    private var entries: [Entry] = []
    private var offset: UInt64 = 0
    private let sink: Sink
    /// DOS date and time of every entry (the moment the bundle was made).
    private let dosTime: UInt16, dosDate: UInt16

    init(date: Date, sink: @escaping Sink) {
        self.sink = sink
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        dosDate = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    static let zip64Limit: UInt64 = 0xFFFF_FFFF

    private mutating func emit(_ data: Data) async throws {
        try await sink(data)
        offset += UInt64(data.count)
    }

    /// Adds an entry whose bytes come from `chunks` (called until it returns nil); `size` is
    /// the number of bytes it will give (known before: the stored size of an evidence file).
    mutating func add(name: String, size: UInt64, chunks: () async throws -> Data?) async throws {
        let nameData = Data(name.utf8)
        let zip64 = size >= Self.zip64Limit || offset >= Self.zip64Limit
        var header = Data()
        header.le32(0x0403_4b50)
        header.le16(zip64 ? 45 : 20)
        header.le16(0x0808)  // bit 3: sizes and CRC in the data descriptor; bit 11: UTF-8 name
        header.le16(0)  // stored
        header.le16(dosTime); header.le16(dosDate)
        header.le32(0); header.le32(zip64 ? 0xFFFF_FFFF : 0); header.le32(zip64 ? 0xFFFF_FFFF : 0)
        header.le16(UInt16(nameData.count))
        header.le16(zip64 ? 20 : 0)
        header.append(nameData)
        if zip64 { header.le16(0x0001); header.le16(16); header.le64(0); header.le64(0) }
        let start = offset
        try await emit(header)
        var crc: UInt32 = 0
        var written: UInt64 = 0
        while let chunk = try await chunks() {
            crc = chunk.crc32(checksum: crc)
            written += UInt64(chunk.count)
            try await emit(chunk)
        }
        guard written == size else { throw ZipStreamError(description: "\(name): expected \(size) bytes, read \(written)") }
        var descriptor = Data()
        descriptor.le32(0x0807_4b50)
        descriptor.le32(crc)
        if zip64 { descriptor.le64(size); descriptor.le64(size) } else { descriptor.le32(UInt32(size)); descriptor.le32(UInt32(size)) }
        try await emit(descriptor)
        entries.append(Entry(name: nameData, crc: crc, size: size, offset: start, zip64: zip64 || start >= Self.zip64Limit))
    }

    mutating func add(name: String, data: Data) async throws {
        var given = false
        try await add(name: name, size: UInt64(data.count)) {
            defer { given = true }
            return given || data.isEmpty ? nil : data
        }
    }

    /// The central directory and the end records.
    mutating func finish() async throws {
        let directoryStart = offset
        var directory = Data()
        for e in entries {
            let big = e.zip64
            directory.le32(0x0201_4b50)
            directory.le16(big ? 45 : 20)  // made by
            directory.le16(big ? 45 : 20)  // needed
            directory.le16(0x0808); directory.le16(0)
            directory.le16(dosTime); directory.le16(dosDate)
            directory.le32(e.crc)
            directory.le32(big ? 0xFFFF_FFFF : UInt32(e.size)); directory.le32(big ? 0xFFFF_FFFF : UInt32(e.size))
            directory.le16(UInt16(e.name.count))
            directory.le16(big ? 28 : 0)
            directory.le16(0); directory.le16(0); directory.le16(0)
            directory.le32(0)
            directory.le32(big ? 0xFFFF_FFFF : UInt32(e.offset))
            directory.append(e.name)
            if big { directory.le16(0x0001); directory.le16(24); directory.le64(e.size); directory.le64(e.size); directory.le64(e.offset) }
        }
        try await emit(directory)
        let directorySize = UInt64(directory.count)
        let needs64 = directoryStart >= Self.zip64Limit || entries.count >= 0xFFFF || entries.contains { $0.zip64 }
        var end = Data()
        if needs64 {
            let recordStart = offset
            end.le32(0x0606_4b50); end.le64(44); end.le16(45); end.le16(45); end.le32(0); end.le32(0)
            end.le64(UInt64(entries.count)); end.le64(UInt64(entries.count)); end.le64(directorySize); end.le64(directoryStart)
            end.le32(0x0706_4b50); end.le32(0); end.le64(recordStart); end.le32(1)
        }
        end.le32(0x0605_4b50); end.le16(0); end.le16(0)
        end.le16(UInt16(min(entries.count, 0xFFFF))); end.le16(UInt16(min(entries.count, 0xFFFF)))
        end.le32(UInt32(min(directorySize, Self.zip64Limit)))
        end.le32(needs64 ? 0xFFFF_FFFF : UInt32(directoryStart))
        end.le16(0)
        try await emit(end)
    }
}

struct ZipStreamError: Error, CustomStringConvertible {
    var description: String
}

extension Data {
    fileprivate mutating func le16(_ v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    fileprivate mutating func le32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    fileprivate mutating func le64(_ v: UInt64) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
}
