import XCTest
@testable import EtcdServer

/// `ETCD_*` variables behave as in etcd 3.4: each flag reads `ETCD_` + its name upper-snake-cased
/// when not given on the command line; giving both is fatal; unknown `ETCD_` names draw a warning.
final class ConfigEnvironmentTests: XCTestCase {
    func testVariablesSetFlags() throws {
        let (config, warnings) = try runConfig([], env: [
            "ETCD_NAME": "envname", "ETCD_MAX_TXN_OPS": "64", "ETCD_ENABLE_V2": "true",
            "ETCD_INITIAL_CLUSTER_STATE": "existing", "ETCD_DATA_DIR": "/var/lib/etcd", "PATH": "/bin",
        ])
        XCTAssertEqual(config.name, "envname")
        XCTAssertEqual(config.maxTxnOps, 64)
        XCTAssertTrue(config.enableV2)
        XCTAssertEqual(config.initialClusterState, .existing)
        XCTAssertEqual(config.dataDir, "/var/lib/etcd")
        XCTAssertEqual(config.initialClusterText, "envname=http://localhost:2380")
        XCTAssertEqual(config.usedEnvironment, ["ETCD_DATA_DIR=/var/lib/etcd", "ETCD_ENABLE_V2=true",
                                                "ETCD_INITIAL_CLUSTER_STATE=existing", "ETCD_MAX_TXN_OPS=64", "ETCD_NAME=envname"])
        XCTAssertEqual(warnings, ["swetcd does not implement --enable-v2 yet; the value is accepted and ignored"])
    }

    func testEmptyVariableIsIgnored() throws {
        XCTAssertEqual(try runConfig([], env: ["ETCD_NAME": ""]).0.name, "default")
    }

    func testFlagAndVariableTogetherIsFatal() {
        let message = #"conflicting environment variable "ETCD_NAME" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)"#
        XCTAssertEqual(configError(["--name", "flag"], env: ["ETCD_NAME": "env"]),
                       ConfigError(message: message, exitCode: 1, showsUsage: false))
        XCTAssertEqual(configError(["--name", "flag"], env: ["ETCD_NAME": ""])?.message, message)
    }

    func testUnrecognizedVariableWarns() throws {
        let (_, warnings) = try runConfig(["--data-dir=/d"], env: ["ETCD_FOO": "1", "ETCDCTL_API": "3"])
        XCTAssertEqual(warnings, ["unrecognized environment variable ETCD_FOO=1"])
    }

    func testBadVariableValueNamesTheVariable() {
        XCTAssertEqual(configError([], env: ["ETCD_MAX_TXN_OPS": "abc"]),
                       ConfigError(message: #"invalid value "abc" for ETCD_MAX_TXN_OPS: parse error"#, exitCode: 1, showsUsage: false))
        XCTAssertEqual(configError([], env: ["ETCD_LISTEN_CLIENT_URLS": "foo"])?.message,
                       #"invalid value "foo" for ETCD_LISTEN_CLIENT_URLS: URL scheme must be http, https, unix, or unixs: foo"#)
    }

    func testVariableCountsAsGivenForAdvertiseCheck() throws {
        let env = ["ETCD_LISTEN_CLIENT_URLS": "http://127.0.0.1:26379"]
        XCTAssertEqual(configError([], env: env)?.message, "--advertise-client-urls is required when --listen-client-urls is set explicitly")
        var withAdvertise = env
        withAdvertise["ETCD_ADVERTISE_CLIENT_URLS"] = "http://127.0.0.1:26379"
        XCTAssertEqual(try runConfig([], env: withAdvertise).0.advertiseClientURLs.map(\.description), ["http://127.0.0.1:26379"])
    }

    func testKeyMapping() {
        XCTAssertEqual(FlagParser.environmentKey("experimental-enable-lease-checkpoint"), "ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT")
        XCTAssertEqual(FlagTable.byName["max-request-bytes"]?.environmentKey, "ETCD_MAX_REQUEST_BYTES")
    }
}
