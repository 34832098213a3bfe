import GRPC

/// What a client connection speaks once its first bytes are in: gRPC over HTTP/2, or HTTP/1.1
/// (etcd's health, version and metrics endpoints and its JSON gateway). Both report calls as
/// gRPC events and take replies as protobuf messages, so every handler serves both alike.
protocol ClientSession: AnyObject {
    /// Feeds bytes read from the socket (after TLS); false when the connection must close.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// Hands every queued call event to `body`, in order.
    func drainEvents(_ body: (GRPCServerEvent) -> Void)
    /// Queues one response message of `payloadSize` bytes, which `write` appends.
    func sendMessage(_ call: GRPCCallID, payloadSize: Int, write: (inout [UInt8]) -> Void)
    /// Ends the call with `status`.
    func finish(_ call: GRPCCallID, status: GRPCStatus)
    /// Response bytes of `call` not yet handed to the socket (back-pressure for watches).
    func pendingOutboundBytes(_ call: GRPCCallID) -> Int
    /// Appends the bytes to send now.
    func output(into buffer: inout [UInt8], limitBytes: Int)
    var wantsWrite: Bool { get }
    /// Nothing more will be said either way: close once the output is written.
    var isFinished: Bool { get }
    /// Graceful shutdown: running calls may finish, no new ones start.
    func goAway()
    /// The socket is gone: every unfinished call is reported cancelled.
    func connectionLost()
}

extension GRPCServerConnection: ClientSession {}
