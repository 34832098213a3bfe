import EtcdServer
import Glibc

// swetcd: parse etcd's flags and ETCD_* variables, start the member, serve until SIGINT/SIGTERM.

func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}

var environment: [String: String] = [:]
var cursor = environ
while let entry = cursor.pointee {
    let pair = String(cString: entry)
    if let equals = pair.firstIndex(of: "=") {
        environment[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    cursor += 1
}

let command: ConfigCommand
do {
    command = try ServerConfig.parse(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
} catch {
    writeToStandardError(error.stderrText)
    exit(error.exitCode)
}

switch command {
case .printVersion(let text), .printHelp(let text):
    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    exit(0)
case .run(let configuration, let warnings):
    let outputs = Logger.standardDescriptors(forOutputs: configuration.logOutputs)
    let logger = Logger(minimumLevel: configuration.logLevel, fileDescriptors: outputs.descriptors)
    for output in outputs.unsupported {
        logger.fatal("unsupported log output", [.string("output", output)])
    }
    for warning in warnings { logger.warn(warning) }
    for variable in configuration.usedEnvironment {
        logger.info("recognized and used environment variable", [.string("variable-name", variable)])
    }
    do {
        try configuration.verifyStart()
    } catch {
        logger.fatal("failed to start etcd", [.error(error.message)])
    }
    // etcd checks the bootstrap flags only when the member has no WAL yet; once it has one, the
    // WAL says who it is and the --initial-* flags no longer matter.
    if !EtcdServer.hasWAL(configuration) {
        do {
            if configuration.initialClusterState == .new {
                try configuration.verifyBootstrap()
            } else {
                try configuration.verifyJoinExisting()
            }
        } catch {
            writeToStandardError(error.stderrText)
            exit(error.exitCode)
        }
    }

    // Block the stop signals in every thread (the loops inherit this mask) and take them here.
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    sigaddset(&stopSignals, SIGINT)
    sigaddset(&stopSignals, SIGTERM)
    pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
    signal(SIGPIPE, SIG_IGN)

    let server: EtcdServer
    do {
        server = try EtcdServer(configuration: configuration, logger: logger)
    } catch {
        logger.fatal("failed to start", [.error("\(error)")])
    }
    var received: Int32 = 0
    sigwait(&stopSignals, &received)
    logger.info("received signal; shutting down", [.string("signal", received == SIGINT ? "interrupt" : "terminated")])
    server.stop()
    exit(0)
}
