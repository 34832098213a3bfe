// swift-tools-version:6.0
// swetcd: an etcd v3 server in Swift. Module boundaries follow ../shared/DESIGN.md;
// Scripts/check-imports.sh keeps them honest.
import PackageDescription

let package = Package(
    name: "swetcd",
    products: [
        .executable(name: "swetcd", targets: ["swetcd"]),
    ],
    targets: [
        .systemLibrary(name: "CNghttp2", pkgConfig: "libnghttp2",
                       providers: [.apt(["libnghttp2-dev"])]),
        .target(name: "CShim", dependencies: ["CNghttp2"],
                linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto"), .linkedLibrary("crypt")]),
        .target(name: "EtcdBasics"),
        .target(name: "ProtoWire", dependencies: ["EtcdBasics"]),
        .target(name: "EtcdProto", dependencies: ["ProtoWire"]),
        .target(name: "HTTP2", dependencies: ["EtcdBasics", "CNghttp2", "CShim"]),
        .target(name: "GRPC", dependencies: ["HTTP2", "EtcdBasics"]),
        .target(name: "Raft", dependencies: ["EtcdBasics", "ProtoWire"]),
        .target(name: "EtcdIO", dependencies: ["EtcdBasics"]),
        .target(name: "WAL", dependencies: ["EtcdBasics", "ProtoWire", "EtcdIO", "Raft"]),
        .target(name: "BoltStore", dependencies: ["EtcdBasics", "EtcdIO"]),
        .target(name: "MVCC", dependencies: ["EtcdBasics", "EtcdProto", "BoltStore"]),
        .target(name: "EtcdServer",
                dependencies: ["EtcdBasics", "ProtoWire", "EtcdProto", "HTTP2", "GRPC", "MVCC", "EtcdIO", "BoltStore", "Raft", "WAL", "CShim"]),
        .executableTarget(name: "swetcd", dependencies: ["EtcdServer"]),

        .testTarget(name: "EtcdBasicsTests", dependencies: ["EtcdBasics"]),
        .testTarget(name: "ProtoWireTests", dependencies: ["ProtoWire"]),
        .testTarget(name: "EtcdProtoTests", dependencies: ["EtcdProto", "ProtoWire"]),
        .testTarget(name: "GRPCTests", dependencies: ["GRPC", "HTTP2", "CNghttp2", "CShim"]),
        .testTarget(name: "RaftTests", dependencies: ["Raft", "EtcdBasics"]),
        .testTarget(name: "EtcdIOTests", dependencies: ["EtcdIO"]),
        .testTarget(name: "WALTests", dependencies: ["WAL", "EtcdIO", "Raft", "EtcdBasics"]),
        .testTarget(name: "BoltStoreTests", dependencies: ["BoltStore", "EtcdIO"]),
        .testTarget(name: "MVCCTests", dependencies: ["MVCC", "EtcdProto", "BoltStore", "EtcdIO"]),
        .testTarget(name: "EtcdServerTests", dependencies: ["EtcdServer", "EtcdProto", "MVCC", "GRPC"]),
    ]
)
