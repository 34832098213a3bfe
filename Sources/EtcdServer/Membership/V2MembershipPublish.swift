import EtcdBasics
import EtcdProto

/// What a v2 store request in the log means for the membership. etcd 3.4 publishes two things
/// through its v2 path, and its v2 applier turns them into membership changes: a member's
/// attributes once it has started (`PUT /0/members/<hex id>/attributes` with
/// `{"name":…,"clientURLs":[…]}`) and the cluster version the leader decided
/// (`PUT /0/version` with `3.4.0`). Only a plain PUT counts: one with a compare-and-swap
/// condition (`prevExist`, `prevIndex`, `prevValue`) goes to etcd's v2 store as data.
enum V2MembershipPublish: Equatable, Sendable {
    case attributes(MemberID, name: String, clientURLs: [String])
    case clusterVersion(String)

    /// Why a publish cannot be read (etcd panics on it: only a broken proposer writes one).
    struct DecodeError: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// The publish `request` makes, nil when it is none (any other v2 request swetcd does not
    /// keep a v2 store for). Throws when the attributes value is not etcd's JSON.
    init?(_ request: Request) throws(DecodeError) {
        guard request.method == "PUT", request.prevExist == nil, request.prevIndex == 0, request.prevValue.isEmpty else {
            return nil
        }
        if request.path == "/0/version" {
            self = .clusterVersion(request.val)
            return
        }
        guard let id = Self.attributesMemberID(request.path) else { return nil }
        do {
            let attributes = try JSONObjectReader(parsing: Array(request.val.utf8))
            self = .attributes(id, name: try attributes.string("name"), clientURLs: try attributes.strings("clientURLs"))
        } catch {
            throw DecodeError(description: "attributes of member \(id) do not decode: \(error)")
        }
    }

    /// The member ID of a path matching etcd's `^/0/members/[[:xdigit:]]{1,16}/attributes$`.
    static func attributesMemberID(_ path: String) -> MemberID? {
        let prefix = "/0/members/", suffix = "/attributes"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.utf8.count > prefix.utf8.count + suffix.utf8.count else {
            return nil
        }
        let hex = path.dropFirst(prefix.count).dropLast(suffix.count)
        guard hex.utf8.count <= 16, hex.utf8.allSatisfy(Self.isHexDigit), let raw = UInt64(hex, radix: 16) else {
            return nil
        }
        return MemberID(raw)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
