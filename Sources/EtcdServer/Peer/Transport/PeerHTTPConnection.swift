/// One HTTP/1.1 connection to or from a peer, read event by event: `PeerHTTPReader` fed from a
/// `PeerSocket`, each wait bounded.
struct PeerHTTPConnection {
    enum Failure: Error {
        /// Nothing arrived within the timeout.
        case timedOut
        /// The other side closed the connection, or it broke.
        case closed
        /// The other side sent something that is not HTTP/1.1 as peers speak it.
        case malformed(PeerHTTPError)
    }

    /// Bytes read from the socket at a time.
    static let readBytesMax = 64 * 1024

    let socket: PeerSocket
    private var reader: PeerHTTPReader

    init(socket: PeerSocket, role: PeerHTTPReader.Role) {
        self.socket = socket
        reader = PeerHTTPReader(role: role)
    }

    /// The next head, body piece or body end, reading from the socket as needed.
    mutating func next(timeoutMilliseconds: Int32) throws(Failure) -> PeerHTTPReader.Event {
        while true {
            do {
                if let event = try reader.next() { return event }
            } catch {
                throw .malformed(error)
            }
            let bytes: [UInt8]
            do {
                bytes = try socket.read(maximum: Self.readBytesMax, timeoutMilliseconds: timeoutMilliseconds)
            } catch .timedOut {
                throw .timedOut
            } catch {
                throw .closed
            }
            reader.append(bytes)
        }
    }

    /// The whole body of the current message, refused past `limit` bytes.
    mutating func readBody(limit: Int, timeoutMilliseconds: Int32) throws(Failure) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            switch try next(timeoutMilliseconds: timeoutMilliseconds) {
            case .body(let piece):
                guard body.count + piece.count <= limit else { throw .closed }
                body.append(contentsOf: piece)
            case .end:
                return body
            case .requestHead, .responseHead:
                throw .closed
            }
        }
    }

    func write(_ bytes: [UInt8], timeoutMilliseconds: Int32) throws(Failure) {
        do {
            try socket.write(bytes, timeoutMilliseconds: timeoutMilliseconds)
        } catch {
            throw .closed
        }
    }

    func send(_ response: PeerResponse, timeoutMilliseconds: Int32) throws(Failure) {
        var bytes: [UInt8] = []
        response.encode(appendingTo: &bytes)
        try write(bytes, timeoutMilliseconds: timeoutMilliseconds)
    }
}

extension PeerHTTPConnection {
    /// One request on a connection of its own: dials `address`, sends `request` (head and body
    /// encoded), and returns the response head and body; nil when the peer cannot be reached,
    /// does not answer in time, or answers with something that is not HTTP.
    static func exchange(_ request: [UInt8], with address: PeerAddress, dialTimeoutMilliseconds: Int32,
                         timeoutMilliseconds: Int32, bodyBytesMax: Int) -> (head: PeerHTTPResponseHead, body: [UInt8])? {
        guard let socket = PeerSocket.connect(to: address,
                                              timeoutMilliseconds: dialTimeoutMilliseconds) else { return nil }
        defer { socket.close() }
        var connection = PeerHTTPConnection(socket: socket, role: .client)
        do {
            try connection.write(request, timeoutMilliseconds: timeoutMilliseconds)
            guard case .responseHead(let head) = try connection.next(timeoutMilliseconds: timeoutMilliseconds) else {
                return nil
            }
            return (head, try connection.readBody(limit: bodyBytesMax, timeoutMilliseconds: timeoutMilliseconds))
        } catch {
            return nil
        }
    }
}
