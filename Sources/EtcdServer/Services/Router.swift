import EtcdProto
import ProtoWire
import GRPC

/// Routes a call's request message to its handler and turns the handler's outcome into a reply.
extension EventLoop {
    func dispatch(_ method: EtcdMethod, payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        // etcd's interceptors: a learner serves only Status and serializable reads.
        if services.membership.isLocalLearner && !LearnerRule.isSupported(method, payload: payload) {
            finish(call, on: connection, status: EtcdError.notSupportedForLearner.status)
            return
        }
        guard authorizeCall(method, payload: payload, call: call, on: connection) else { return }
        switch method {
        case .range: complete(services.range(payload), call: call, on: connection)
        case .put: complete(services.put(payload), call: call, on: connection)
        case .deleteRange: complete(services.deleteRange(payload), call: call, on: connection)
        case .txn: complete(services.txn(payload), call: call, on: connection)
        case .compact: complete(services.compact(payload), call: call, on: connection)
        case .status: complete(services.status(payload), call: call, on: connection)
        case .hashKV: complete(services.hashKV(payload), call: call, on: connection)
        case .defragment: complete(services.defragment(payload), call: call, on: connection)
        case .alarm: complete(services.alarm(payload), call: call, on: connection)
        case .hash: complete(services.hash(payload), call: call, on: connection)
        case .snapshot: startSnapshot(payload, call: call, on: connection)
        case .memberList: complete(services.memberList(payload), call: call, on: connection)
        case .memberAdd: complete(services.memberAdd(payload), call: call, on: connection)
        case .memberRemove: complete(services.memberRemove(payload), call: call, on: connection)
        case .memberUpdate: complete(services.memberUpdate(payload), call: call, on: connection)
        case .memberPromote: complete(services.memberPromote(payload), call: call, on: connection)
        case .moveLeader: complete(services.moveLeader(payload), call: call, on: connection)
        case .watch: watchRequest(payload, call: call, on: connection)
        case .leaseGrant: complete(services.leaseGrant(payload), call: call, on: connection)
        case .leaseRevoke: complete(services.leaseRevoke(payload), call: call, on: connection)
        case .leaseTimeToLive: complete(services.leaseTimeToLive(payload), call: call, on: connection)
        case .leaseLeases: complete(services.leaseLeases(payload), call: call, on: connection)
        case .leaseKeepAlive: leaseKeepAliveRequest(payload, call: call, on: connection)
        case .authEnable: complete(services.authEnable(payload), call: call, on: connection)
        case .authDisable: complete(services.authDisable(payload), call: call, on: connection)
        case .authStatus: complete(services.authStatus(payload), call: call, on: connection)
        case .authenticate: complete(services.authenticate(payload), call: call, on: connection)
        case .userAdd: complete(services.userAdd(payload), call: call, on: connection)
        case .userGet: complete(services.userGet(payload), call: call, on: connection)
        case .userList: complete(services.userList(payload), call: call, on: connection)
        case .userDelete: complete(services.userDelete(payload), call: call, on: connection)
        case .userChangePassword: complete(services.userChangePassword(payload), call: call, on: connection)
        case .userGrantRole: complete(services.userGrantRole(payload), call: call, on: connection)
        case .userRevokeRole: complete(services.userRevokeRole(payload), call: call, on: connection)
        case .roleAdd: complete(services.roleAdd(payload), call: call, on: connection)
        case .roleGet: complete(services.roleGet(payload), call: call, on: connection)
        case .roleList: complete(services.roleList(payload), call: call, on: connection)
        case .roleDelete: complete(services.roleDelete(payload), call: call, on: connection)
        case .roleGrantPermission: complete(services.roleGrantPermission(payload), call: call, on: connection)
        case .roleRevokePermission: complete(services.roleRevokePermission(payload), call: call, on: connection)
        case .lock: startRecipe(payload, as: LockRequest.self, call: call, on: connection) { LockRecipe($0) }
        case .unlock: startRecipe(payload, as: UnlockRequest.self, call: call, on: connection) { UnlockRecipe($0) }
        case .campaign: startRecipe(payload, as: CampaignRequest.self, call: call, on: connection) { CampaignRecipe($0) }
        case .proclaim: startRecipe(payload, as: ProclaimRequest.self, call: call, on: connection) { ProclaimRecipe($0) }
        case .leader: startRecipe(payload, as: LeaderRequest.self, call: call, on: connection) { LeaderRecipe($0) }
        case .observe: startRecipe(payload, as: LeaderRequest.self, call: call, on: connection) { ObserveRecipe($0) }
        case .resign: startRecipe(payload, as: ResignRequest.self, call: call, on: connection) { ResignRecipe($0) }
        }
    }

    private func complete<Response: ProtoMessage>(_ outcome: UnaryOutcome<Response>, call: GRPCCallID, on connection: ClientConnection) {
        switch outcome {
        case .respond(let response): reply(response, to: call, on: connection)
        case .propose(let request): propose(request, for: call, on: connection)
        case .afterReadIndex(let read):
            parkRead(for: call, on: connection) { [unowned self] in self.complete(read(), call: call, on: connection) }
        case .fail(let status): finish(call, on: connection, status: status)
        }
    }

    /// Sends the apply thread's answer to a proposal.
    func respond(to call: GRPCCallID, on connection: ClientConnection, with result: ApplyResult) {
        switch result {
        case .put(let response): reply(response, to: call, on: connection)
        case .deleteRange(let response): reply(response, to: call, on: connection)
        case .txn(let response): reply(response, to: call, on: connection)
        case .compaction(let response): reply(response, to: call, on: connection)
        case .defragment(let response): reply(response, to: call, on: connection)
        case .forceCommitted: streamSnapshot(call: call, on: connection)
        case .alarm(let response): reply(response, to: call, on: connection)
        case .leaseGrant(let response): reply(response, to: call, on: connection)
        case .leaseRevoke(let response): reply(response, to: call, on: connection)
        // Only the leader proposes checkpoints, with no client waiting; a reply would do no harm.
        case .leaseCheckpoint(let response): reply(response, to: call, on: connection)
        case .leaseTimeToLive(var response):
            response.header = services.header(revision: services.currentRevision)
            reply(response, to: call, on: connection)
        case .auth(let response): replyAuth(response, to: call, on: connection)
        // etcd answers MoveLeader without a header.
        case .movedLeader: reply(MoveLeaderResponse(), to: call, on: connection)
        case .memberChanged(let change, let members):
            switch change {
            case .add: reply(services.memberAddResponse(change, members: members), to: call, on: connection)
            case .remove: reply(services.memberRemoveResponse(members: members), to: call, on: connection)
            case .update: reply(services.memberUpdateResponse(members: members), to: call, on: connection)
            case .promote: reply(services.memberPromoteResponse(members: members), to: call, on: connection)
            }
        case .failure(let error): finish(call, on: connection, status: error.status)
        }
    }
}

extension EventLoop {
    private func replyAuth(_ response: AuthResponse, to call: GRPCCallID, on connection: ClientConnection) {
        switch response {
        case .enable(let r): reply(r, to: call, on: connection)
        case .disable(let r): reply(r, to: call, on: connection)
        case .authenticate(let r): reply(r, to: call, on: connection)
        case .userAdd(let r): reply(r, to: call, on: connection)
        case .userDelete(let r): reply(r, to: call, on: connection)
        case .userChangePassword(let r): reply(r, to: call, on: connection)
        case .userGrantRole(let r): reply(r, to: call, on: connection)
        case .userRevokeRole(let r): reply(r, to: call, on: connection)
        case .userGet(let r): reply(r, to: call, on: connection)
        case .userList(let r): reply(r, to: call, on: connection)
        case .roleAdd(let r): reply(r, to: call, on: connection)
        case .roleDelete(let r): reply(r, to: call, on: connection)
        case .roleGet(let r): reply(r, to: call, on: connection)
        case .roleList(let r): reply(r, to: call, on: connection)
        case .roleGrantPermission(let r): reply(r, to: call, on: connection)
        case .roleRevokePermission(let r): reply(r, to: call, on: connection)
        }
    }
}

extension EtcdMethod {
    /// The method a call's `:path` names, or the UNIMPLEMENTED status grpc-go answers for a path
    /// it does not serve (its exact wording and codes: clients and tests match on them;
    /// grpc-go answers a path without a slash with RESOURCE_EXHAUSTED).
    static func resolve(path: String) -> Result<EtcdMethod, GRPCStatus> {
        if let method = EtcdMethod(path: path) { return .success(method) }
        // grpc-go splits "/service/method" at the last slash.
        var trimmed = Substring(path)
        if trimmed.first == "/" { trimmed = trimmed.dropFirst() }
        guard let slash = trimmed.lastIndex(of: "/") else {
            return .failure(GRPCStatus(.resourceExhausted, "malformed method name: \"\(path)\""))
        }
        let service = trimmed[..<slash]
        let name = trimmed[trimmed.index(after: slash)...]
        if EtcdService(rawValue: String(service)) != nil {
            return .failure(GRPCStatus(.unimplemented, "unknown method \(name) for service \(service)"))
        }
        return .failure(GRPCStatus(.unimplemented, "unknown service \(service)"))
    }
}

/// Maintenance.Snapshot: a server-streaming call paced by the client (see SnapshotStream).
extension EventLoop {
    func startSnapshot(_ payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        do {
            _ = try services.decode(SnapshotRequest.self, from: payload)
        } catch {
            finish(call, on: connection, status: error)
            return
        }
        // Stream only after the apply thread committed every applied write to the file.
        propose(.forceCommit, for: call, on: connection)
    }

    /// Starts sending the backend file once it holds everything applied.
    func streamSnapshot(call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID] else { return }
        do {
            state.snapshot = try SnapshotStream(backend: services.kv.backend)
        } catch {
            finish(call, on: connection, status: GRPCStatus(.unknown, "\(error)"))
            return
        }
        connection.calls[call.streamID] = state
        connection.snapshotStreams.insert(call.streamID)
        markDirty(connection)
    }

    /// Queues more snapshot messages on every call of `connection` whose output has drained.
    func pumpSnapshots(on connection: ClientConnection) {
        for streamID in connection.snapshotStreams {
            let call = GRPCCallID(streamID: streamID)
            guard let stream = connection.calls[streamID]?.snapshot else {
                connection.snapshotStreams.remove(streamID)   // cancelled: its state is gone
                continue
            }
            while !stream.isFinished
                    && connection.session.pendingOutboundBytes(call) < SnapshotStream.Limit.queuedBytesMax {
                let message = stream.nextMessage()
                connection.session.sendMessage(call, payloadSize: message.encodedSize) { message.encode(appendingTo: &$0) }
            }
            if stream.isFinished {
                connection.snapshotStreams.remove(streamID)
                finish(call, on: connection, status: .ok)
            }
        }
    }
}
