/// The forwarder's HTTP/1.1 connection to the leader's peer URL, kept open between requests
/// (etcd's peer round-tripper keeps its connections alive too), so a follower relaying
/// thousands of keep-alives a second does not dial the leader for each. Owned by the
/// forwarder's thread.
struct LeaderConnection {
    private var address: PeerAddress?
    private var connection: PeerHTTPConnection?

    /// Sends `request` (head and body encoded) to `address` and returns the response; reuses
    /// the open connection when it goes to the same address, and dials once more if a reused
    /// one turns out to be closed. nil when the leader cannot be reached or does not answer.
    mutating func exchange(_ request: [UInt8], with address: PeerAddress, dialTimeoutMilliseconds: Int32,
                           timeoutMilliseconds: Int32, bodyBytesMax: Int) -> (head: PeerHTTPResponseHead, body: [UInt8])? {
        if self.address != address { close() }
        for attempt in 0..<2 {
            let isReused = connection != nil
            if connection == nil {
                guard let socket = PeerSocket.connect(to: address,
                                                      timeoutMilliseconds: dialTimeoutMilliseconds) else { return nil }
                connection = PeerHTTPConnection(socket: socket, role: .client)
                self.address = address
            }
            do {
                try connection!.write(request, timeoutMilliseconds: timeoutMilliseconds)
                guard case .responseHead(let head) = try connection!.next(timeoutMilliseconds: timeoutMilliseconds) else {
                    close()
                    return nil
                }
                let body = try connection!.readBody(limit: bodyBytesMax, timeoutMilliseconds: timeoutMilliseconds)
                if !head.isKeepAlive { close() }
                return (head, body)
            } catch {
                close()
                // A kept connection the leader closed meanwhile: dial a fresh one, once.
                guard isReused && attempt == 0 else { return nil }
            }
        }
        return nil
    }

    mutating func close() {
        connection?.socket.close()
        connection = nil
        address = nil
    }
}
