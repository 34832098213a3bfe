/// Path arithmetic the file-system users share (the WAL, the bbolt file, defragmentation), so
/// "which directory to fsync after creating or renaming `path`" has one answer.

/// The directory holding `path`: the text before its last "/" ("." for a bare name, "/" for a
/// name directly under the root). The directory whose `syncDirectory` makes a creation, removal
/// or rename of `path` durable.
public func parentDirectory(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
    if slash == path.utf8.startIndex { return "/" }
    return String(path[..<slash])
}
