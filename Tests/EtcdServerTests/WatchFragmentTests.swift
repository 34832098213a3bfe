import XCTest
import EtcdProto
@testable import EtcdServer

/// Splitting large responses of watchers that asked for `fragment`, as etcd's `sendFragments`.
final class WatchFragmentTests: XCTestCase {
    /// etcd's `sendFragments` (v3rpc/watch.go) step by step, measuring the whole piece after
    /// every append as etcd does: the reference our incremental version must agree with.
    func etcdSendFragments(_ wr: WatchResponse, _ maxRequestBytes: Int) -> [WatchResponse] {
        if wr.encodedSize < maxRequestBytes || wr.events.count < 2 { return [wr] }
        var ow = wr
        ow.events = []
        ow.fragment = true
        var out: [WatchResponse] = []
        var idx = 0
        while true {
            var cur = ow
            for ev in wr.events[idx...] {
                cur.events.append(ev)
                if cur.events.count > 1 && cur.encodedSize >= maxRequestBytes {
                    cur.events.removeLast()
                    break
                }
                idx += 1
            }
            if idx == wr.events.count { cur.fragment = false }
            out.append(cur)
            if !cur.fragment { break }
        }
        return out
    }

    func response(eventValueSizes: [Int]) -> WatchResponse {
        WatchResponse(header: watchHeader(99), watchId: 3, events: eventValueSizes.enumerated().map { i, size in
            putEvent("key\(i)", String(repeating: "x", count: size), revision: 99)
        })
    }

    func testSmallResponseOrSingleEventIsNotSplit() {
        let small = response(eventValueSizes: [10, 10])
        XCTAssertEqual(WatchStreamState.fragments(of: small, maxBytes: 1000), [small])
        let single = response(eventValueSizes: [5000])
        XCTAssertEqual(WatchStreamState.fragments(of: single, maxBytes: 1000), [single])
    }

    func testPiecesMatchEtcdAndReassembleTheResponse() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            let sizes = (0..<(1 + rng.below(30))).map { _ in rng.below(rng.below(4) == 0 ? 600 : 80) }
            let whole = response(eventValueSizes: sizes)
            let maxBytes = 60 + rng.below(900)
            let pieces = WatchStreamState.fragments(of: whole, maxBytes: maxBytes)
            XCTAssertEqual(pieces, etcdSendFragments(whole, maxBytes), "sizes \(sizes) max \(maxBytes)")
            XCTAssertEqual(pieces.flatMap(\.events), whole.events)
            XCTAssertEqual(pieces.map(\.fragment), Array(repeating: true, count: pieces.count - 1) + [false])
            for piece in pieces where piece.events.count > 1 {
                XCTAssertLessThan(piece.encodedSize, maxBytes)
            }
        }
    }

    func testOnlyWatchersThatAskedAreFragmented() {
        let events = (0..<10).map { putEvent("k\($0)", String(repeating: "v", count: 100), revision: 5) }
        var delivery = WatchDelivery(stream: streamKey(1), watchID: 1, revision: 5, content: .events(events))
        XCTAssertEqual(WatchStreamState.responses(for: delivery, header: watchHeaderTemplate, fragmentBytes: 300,
                                                  prevKV: { _, _ in nil }).count, 1)
        delivery.allowsFragment = true
        let pieces = WatchStreamState.responses(for: delivery, header: watchHeaderTemplate, fragmentBytes: 300,
                                                prevKV: { _, _ in nil })
        XCTAssertGreaterThan(pieces.count, 1)
        XCTAssertEqual(pieces.map { $0.header?.revision }, Array(repeating: 5, count: pieces.count))
        XCTAssertEqual(pieces.map(\.watchId), Array(repeating: 1, count: pieces.count))
    }
}
