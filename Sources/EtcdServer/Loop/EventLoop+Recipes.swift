import EtcdProto
import GRPC
import ProtoWire

/// Lock and Election calls: the loop runs a call's recipe (see RecipeStep), serving each of its
/// requests as the caller's own (same credentials, same checks, same deadlines) and feeding
/// the answers back, until the recipe answers the call.
extension EventLoop {
    func startRecipe<Request: ProtoMessage>(_ payload: [UInt8], as type: Request.Type, call: GRPCCallID,
                                            on connection: ClientConnection, make: (Request) -> any Recipe) {
        let request: Request
        do {
            request = try services.decode(type, from: payload)
        } catch {
            finish(call, on: connection, status: error)
            return
        }
        var recipe = make(request)
        let steps = recipe.start()
        connection.calls[call.streamID]?.recipe = recipe
        run(steps, call: call, on: connection)
    }

    /// A step's request was answered.
    func recipeStepAnswered(_ response: some ProtoMessage, call: GRPCCallID, on connection: ClientConnection) {
        let input: RecipeInput
        switch response {
        case let response as TxnResponse: input = .txn(response)
        case let response as RangeResponse: input = .range(response)
        case let response as DeleteRangeResponse: input = .deleted(response)
        case let response as LeaseGrantResponse: input = .leaseGranted(response)
        default: return
        }
        advance(input, call: call, on: connection)
    }

    func recipeStepFailed(_ status: GRPCStatus, call: GRPCCallID, on connection: ClientConnection) {
        advance(.failed(status), call: call, on: connection)
    }

    func recipeWatched(_ response: WatchResponse, call: GRPCCallID, on connection: ClientConnection) {
        advance(.watched(response), call: call, on: connection)
    }

    /// Ends a call's recipe early: its watch closes and what it leaves behind is undone.
    func endRecipe(_ call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID], let recipe = state.recipe else { return }
        if state.hasRecipeWatch { watchStreamEnded(WatchStreamKey(connection: connection.id, stream: call.streamID)) }
        state.recipe = nil
        state.hasRecipeWatch = false
        connection.calls[call.streamID] = state
        if let cleanup = recipe.cleanupOnCancel { recipeCleanup(cleanup) }
    }

    /// Proposes a recipe's undo on no one's behalf (its caller is gone); nobody waits for it.
    func recipeCleanup(_ step: RecipeStep) {
        switch step {
        case .deleteRange(let request): _ = proposeToRaft(.deleteRange(request), origin: nil)
        case .txn(let request): _ = proposeToRaft(.txn(request), origin: nil)
        default: break
        }
    }

    private func advance(_ input: RecipeInput, call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID], var recipe = state.recipe else { return }
        if case .watched = input {} else { state.isRecipeStepPending = false }
        let steps = recipe.next(input)
        state.recipe = recipe
        connection.calls[call.streamID] = state
        run(steps, call: call, on: connection)
    }

    private func run(_ steps: [RecipeStep], call: GRPCCallID, on connection: ClientConnection) {
        for step in steps {
            guard connection.calls[call.streamID]?.recipe != nil else { return }
            switch step {
            case .grantLease(let request): issue(.leaseGrant, request, call: call, on: connection)
            case .txn(let request): issue(.txn, request, call: call, on: connection)
            case .range(let request): issue(.range, request, call: call, on: connection)
            case .deleteRange(let request): issue(.deleteRange, request, call: call, on: connection)
            case .watch(let create):
                let key = WatchStreamKey(connection: connection.id, stream: call.streamID)
                if connection.calls[call.streamID]?.hasRecipeWatch == true { watchStreamEnded(key) }
                connection.calls[call.streamID]?.hasRecipeWatch = true
                watchRequest(WatchRequest(requestUnion: .createRequest(create)).serializedBytes(), call: call, on: connection)
            case .send(let message):
                connection.session.sendMessage(call, payloadSize: message.encodedSize) { message.encode(appendingTo: &$0) }
                ServerMetrics.shared.grpcSent(.observe)
                markDirty(connection)
            case .reply(let answer):
                finishRecipe(call, on: connection)
                switch answer {
                case .lock(let response): reply(response, to: call, on: connection)
                case .unlock(let response): reply(response, to: call, on: connection)
                case .campaign(let response): reply(response, to: call, on: connection)
                case .proclaim(let response): reply(response, to: call, on: connection)
                case .leader(let response): reply(response, to: call, on: connection)
                case .resign(let response): reply(response, to: call, on: connection)
                }
                return
            case .fail(let status):
                // etcd's recipes undo their place in line when they fail.
                endRecipe(call, on: connection)
                finish(call, on: connection, status: status)
                return
            }
        }
    }

    /// The recipe answered: its watch closes, nothing is undone.
    private func finishRecipe(_ call: GRPCCallID, on connection: ClientConnection) {
        guard var state = connection.calls[call.streamID] else { return }
        if state.hasRecipeWatch { watchStreamEnded(WatchStreamKey(connection: connection.id, stream: call.streamID)) }
        state.recipe = nil
        state.hasRecipeWatch = false
        connection.calls[call.streamID] = state
    }

    /// Serves one of a recipe's requests as if the caller had sent it on this call.
    private func issue(_ method: EtcdMethod, _ request: some ProtoMessage, call: GRPCCallID, on connection: ClientConnection) {
        connection.calls[call.streamID]?.isRecipeStepPending = true
        dispatch(method, payload: request.serializedBytes(), call: call, on: connection)
    }
}
