// swift-tools-version:6.0
// boltbench: BoltStore micro-benchmark, run beside Go bbolt by Scripts/bench-bolt.sh.
//
// The main package exports only the `swetcd` executable, so BoltStore cannot be used from here
// as a product of a path dependency. Instead the three modules it needs are built from the main
// package's own source directories through symlinks in Modules/ (nothing is copied), with the same
// dependency edges as the main Package.swift. Once the main package exports a library product
// (e.g. `.library(name: "BoltStore", targets: ["BoltStore", "EtcdIO"])`), replace the three
// targets below with `.package(path: "../..")` and depend on that product.
import PackageDescription

let package = Package(
    name: "boltbench",
    targets: [
        .target(name: "EtcdBasics", path: "Modules/EtcdBasics"),
        .target(name: "EtcdIO", dependencies: ["EtcdBasics"], path: "Modules/EtcdIO"),
        .target(name: "BoltStore", dependencies: ["EtcdBasics", "EtcdIO"], path: "Modules/BoltStore"),
        .executableTarget(name: "boltbench", dependencies: ["BoltStore", "EtcdIO"]),
    ]
)
