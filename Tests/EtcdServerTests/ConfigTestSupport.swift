import XCTest
@testable import EtcdServer

/// Parses a command line that must start a server.
func runConfig(_ arguments: [String], env: [String: String] = [:],
               file: StaticString = #filePath, line: UInt = #line) throws -> (ServerConfig, [String]) {
    let command = try ServerConfig.parse(arguments: arguments, environment: env)
    guard case .run(let config, let warnings) = command else {
        XCTFail("expected .run, got \(command)", file: file, line: line)
        throw ConfigError(message: "not run", exitCode: 99, showsUsage: false)
    }
    return (config, warnings)
}

/// Parses a command line that must be refused, returning the error.
func configError(_ arguments: [String], env: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
    do {
        let command = try ServerConfig.parse(arguments: arguments, environment: env)
        XCTFail("expected an error, got \(command)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// Client URLs on the test ports, so a test can set peer options without tripping the
/// advertise-client-urls check.
let clientURLArguments = ["--listen-client-urls", "http://127.0.0.1:26379", "--advertise-client-urls", "http://127.0.0.1:26379"]
