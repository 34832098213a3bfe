// Byte-array conveniences over the buffer-pointer File API, shared by the POSIX and simulated tests.
// (Closures here stay untyped: a `throws(IOError)` closure passed to withUnsafeBytes crashes the
// Swift 6.3 compiler in IRGen.)

import EtcdIO

func write(_ file: any File, _ bytes: [UInt8], at offset: Int64) throws {
    try bytes.withUnsafeBytes { try file.write($0, at: offset) }
}

func read(_ file: any File, count: Int, at offset: Int64) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0xEE, count: count)
    let got = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: offset) }
    return Array(bytes.prefix(got))
}
