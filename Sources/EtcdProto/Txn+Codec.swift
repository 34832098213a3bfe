// Wire codecs for Txn.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension RequestOp: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        switch request {
        case .requestRange(let value): size += ProtoSize.message(field: 1, value)
        case .requestPut(let value): size += ProtoSize.message(field: 2, value)
        case .requestDeleteRange(let value): size += ProtoSize.message(field: 3, value)
        case .requestTxn(let value): size += ProtoSize.message(field: 4, value)
        case nil: break
        }
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        switch request {
        case .requestRange(let value): writer.writeMessage(field: 1, value)
        case .requestPut(let value): writer.writeMessage(field: 2, value)
        case .requestDeleteRange(let value): writer.writeMessage(field: 3, value)
        case .requestTxn(let value): writer.writeMessage(field: 4, value)
        case nil: break
        }
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: request = .requestRange(try reader.readMessage(tag, depth: depth, as: RangeRequest.self))
            case 2: request = .requestPut(try reader.readMessage(tag, depth: depth, as: PutRequest.self))
            case 3:
                request = .requestDeleteRange(try reader.readMessage(tag, depth: depth, as: DeleteRangeRequest.self))
            case 4: request = .requestTxn(try reader.readMessage(tag, depth: depth, as: TxnRequest.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension ResponseOp: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        switch response {
        case .responseRange(let value): size += ProtoSize.message(field: 1, value)
        case .responsePut(let value): size += ProtoSize.message(field: 2, value)
        case .responseDeleteRange(let value): size += ProtoSize.message(field: 3, value)
        case .responseTxn(let value): size += ProtoSize.message(field: 4, value)
        case nil: break
        }
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        switch response {
        case .responseRange(let value): writer.writeMessage(field: 1, value)
        case .responsePut(let value): writer.writeMessage(field: 2, value)
        case .responseDeleteRange(let value): writer.writeMessage(field: 3, value)
        case .responseTxn(let value): writer.writeMessage(field: 4, value)
        case nil: break
        }
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: response = .responseRange(try reader.readMessage(tag, depth: depth, as: RangeResponse.self))
            case 2: response = .responsePut(try reader.readMessage(tag, depth: depth, as: PutResponse.self))
            case 3:
                response = .responseDeleteRange(try reader.readMessage(tag, depth: depth, as: DeleteRangeResponse.self))
            case 4: response = .responseTxn(try reader.readMessage(tag, depth: depth, as: TxnResponse.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension TxnRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.messages(field: 1, compare)
        size += ProtoSize.messages(field: 2, success)
        size += ProtoSize.messages(field: 3, failure)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessages(field: 1, compare)
        writer.writeMessages(field: 2, success)
        writer.writeMessages(field: 3, failure)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: compare.append(try reader.readMessage(tag, depth: depth, as: Compare.self))
            case 2: success.append(try reader.readMessage(tag, depth: depth, as: RequestOp.self))
            case 3: failure.append(try reader.readMessage(tag, depth: depth, as: RequestOp.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension TxnResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.bool(field: 2, succeeded)
        size += ProtoSize.messages(field: 3, responses)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeBool(field: 2, succeeded)
        writer.writeMessages(field: 3, responses)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: succeeded = try reader.readBool(tag)
            case 3: responses.append(try reader.readMessage(tag, depth: depth, as: ResponseOp.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
